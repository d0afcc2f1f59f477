{{- define "csp.name" -}}{{ .Release.Name }}-csp-edge-node{{- end -}}
{{- define "csp.labels" -}}
app.kubernetes.io/name: csp-edge-node
app.kubernetes.io/instance: {{ .Release.Name }}
csp.region: {{ .Values.region }}
{{- end -}}
