{{/* Chart name, overridable. */}}
{{- define "csp-edge-node.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of every object of the release, and the prefix of the pod names, which are the node ids (NODE_ID): the
release name when it already says csp-edge-node, else <release>-csp-edge-node. Truncated to 52 characters so
that "-hazelcast" and a StatefulSet's pod suffix still fit the 63-character DNS label.
*/}}
{{- define "csp-edge-node.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "csp-edge-node.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels: on the pods and in every selector (StatefulSet, services, PDB, NetworkPolicy). csp.region is
part of them so that a release can never select another region's pods, and, the StatefulSet's selector being
immutable, so that an upgrade cannot silently move a release to another region.
*/}}
{{- define "csp-edge-node.selectorLabels" -}}
app.kubernetes.io/name: {{ include "csp-edge-node.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
csp.region: {{ .Values.region | quote }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "csp-edge-node.labels" -}}
helm.sh/chart: {{ include "csp-edge-node.chart" . }}
{{ include "csp-edge-node.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: csp-edge
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels of the `helm test` pod: the release's labels with another app.kubernetes.io/name, so that no selector of the
release (Services, PDB, NetworkPolicy, StatefulSet, anti-affinity) takes the test pod for a node.
*/}}
{{- define "csp-edge-node.testLabels" -}}
{{- $labels := include "csp-edge-node.labels" . | fromYaml }}
{{- $_ := set $labels "app.kubernetes.io/name" (printf "%s-test" (include "csp-edge-node.name" .) | trunc 63 | trimSuffix "-") }}
{{- $_ = set $labels "app.kubernetes.io/component" "test" }}
{{- toYaml $labels }}
{{- end }}

{{/* What the NetworkPolicy's HTTP rule admits the `helm test` pod by (it is in the release's namespace). */}}
{{- define "csp-edge-node.testSelectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-test" (include "csp-edge-node.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end }}

{{- define "csp-edge-node.hazelcastService" -}}
{{ include "csp-edge-node.fullname" . }}-hazelcast
{{- end }}

{{/* Hazelcast's member port: fixed (auto-increment off) in cluster-config/kubernetes.xml, so not a value. */}}
{{- define "csp-edge-node.hazelcastPort" -}}
5701
{{- end }}

{{- define "csp-edge-node.configFile" -}}
{{ .Values.configMountPath }}/config.yaml
{{- end }}

{{- define "csp-edge-node.rollupsDbSecretDir" -}}
/etc/csp-edge-node/rollups-db
{{- end }}

{{/* The digests' SMTP port: config.digests.email.smtp.port, else the node's default (node/config.yaml). */}}
{{- define "csp-edge-node.smtpPort" -}}
{{- dig "digests" "email" "smtp" "port" 587 (.Values.config | default dict) | int }}
{{- end }}

{{/* Where the digests' SMTP password is mounted: node/config.yaml's example path. */}}
{{- define "csp-edge-node.smtpSecretDir" -}}
/etc/csp-edge-node/smtp
{{- end }}

{{/*
The node's config.yaml: the `config` value, with the files the chart mounts written in where the node has no
environment variable for them (digests.email.smtp.passwordFile, the SMTP password from digestEmail.smtp).
*/}}
{{- define "csp-edge-node.nodeConfig" -}}
{{- $config := deepCopy (.Values.config | default dict) }}
{{- if .Values.digestEmail.smtp.existingSecret }}
{{- $digests := get $config "digests" | default dict }}
{{- $_ := set $config "digests" $digests }}
{{- $email := get $digests "email" | default dict }}
{{- $_ = set $digests "email" $email }}
{{- $smtp := get $email "smtp" | default dict }}
{{- $_ = set $email "smtp" $smtp }}
{{- $_ = set $smtp "passwordFile" (printf "%s/password" (include "csp-edge-node.smtpSecretDir" .)) }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{- define "csp-edge-node.upstreamSecretDir" -}}
/etc/csp-edge-node/upstream
{{- end }}

{{- define "csp-edge-node.upstreamTlsDir" -}}
/etc/csp-edge-node/upstream-tls
{{- end }}

{{- define "csp-edge-node.credentialsDir" -}}
/etc/csp-edge-node/credentials
{{- end }}

{{/*
The HTTP listener's scheme, which probes, scrapes and the helm test must use: HTTPS when the intakes have TLS
(tls.secretName) and config.security.tls.http is not false (the node's switch for TLS on HTTP; default true), else HTTP.
*/}}
{{- define "csp-edge-node.httpScheme" -}}
{{ if and .Values.tls.secretName (dig "security" "tls" "http" true (.Values.config | default dict)) }}HTTPS{{ else }}HTTP{{ end }}
{{- end }}

{{/*
A duration as the node reads it (org.csp.edge.config.Durations: digits, then ms, s, m, h or d; at most 36500d), in
milliseconds. Called with (list "<value's name>" <value>); a value the node would not read fails the install.
*/}}
{{- define "csp-edge-node.durationMs" -}}
{{- $name := index . 0 -}}
{{- $raw := index . 1 -}}
{{- $text := toString $raw | trim -}}
{{- if or (not (kindIs "string" $raw)) (not (regexMatch "^[0-9]+\\s*(ms|s|m|h|d)$" $text)) -}}
{{- fail (printf "%s: %q is not a duration the node reads; write e.g. 500ms, 30s, 15m, 2h or 7d" $name $text) -}}
{{- end -}}
{{- $unit := regexFind "(ms|s|m|h|d)$" $text -}}
{{- $digits := regexReplaceAll "^0+([0-9])" (regexFind "^[0-9]+" $text) "${1}" -}}
{{- $per := get (dict "ms" 1 "s" 1000 "m" 60000 "h" 3600000 "d" 86400000) $unit -}}
{{- if or (gt (len $digits) 13) (gt (int64 $digits) (div 3153600000000 $per)) -}}
{{- fail (printf "%s: %q is longer than the node takes (at most 36500d)" $name $text) -}}
{{- end -}}
{{- mul (int64 $digits) $per -}}
{{- end }}

{{/*
The node's own limits on config values that a schema pattern cannot express (org.csp.edge.config: RegisterSettings,
DigestSettings): refused at install rather than by every pod at start.
*/}}
{{- define "csp-edge-node.validateConfig" -}}
{{- $config := .Values.config | default dict }}
{{- $hour := 3600000 }}
{{- $register := get $config "register" | default dict }}
{{- with get $register "window" }}
{{- $window := include "csp-edge-node.durationMs" (list "config.register.window" .) | int64 }}
{{- $retentionText := dig "rollups" "hourlyRetention" "15d" $config }}
{{- $retention := include "csp-edge-node.durationMs" (list "config.rollups.hourlyRetention" $retentionText) | int64 }}
{{- if or (lt $window $hour) (ne (mod $window $hour) 0) }}
{{- fail (printf "config.register.window must be whole hours (the hourly rollups), 1h or more; was %q. The node refuses to start otherwise" .) }}
{{- end }}
{{- if gt $window $retention }}
{{- fail (printf "config.register.window (%s) must be at most config.rollups.hourlyRetention (%s): the register reads the hourly rollups, which are kept that long. Shorten the window, or raise config.rollups.hourlyRetention" . $retentionText) }}
{{- end }}
{{- end }}
{{- with get $register "recomputeEvery" }}
{{- $every := include "csp-edge-node.durationMs" (list "config.register.recomputeEvery" .) | int64 }}
{{- if or (lt $every 1000) (gt $every 300000) }}
{{- fail (printf "config.register.recomputeEvery must be 1s to 5m (a storm shows in the register while it happens); was %q" .) }}
{{- end }}
{{- end }}
{{- $fdr := get $register "falseDiscoveryRate" | default dict }}
{{- $suspected := get $fdr "suspected" | default 0.01 }}
{{- $confirmed := get $fdr "confirmed" | default 0.001 }}
{{- if gt (float64 $confirmed) (float64 $suspected) }}
{{- fail (printf "config.register.falseDiscoveryRate.confirmed (%v) must be at most falseDiscoveryRate.suspected (%v): confirmed is the more certain status. Lower confirmed or raise suspected" $confirmed $suspected) }}
{{- end }}
{{- with dig "digests" "lookBack" nil $config }}
{{- $lookBack := include "csp-edge-node.durationMs" (list "config.digests.lookBack" .) | int64 }}
{{- if or (lt $lookBack $hour) (gt $lookBack (mul 14 24 $hour)) }}
{{- fail (printf "config.digests.lookBack must be 1h to 14d (the hourly rollups' least retention); was %q" .) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The pod's affinity when `affinity` is not set: anti-affinity of the nodes to each other, per topology: "preferred", "required" or "" (none). Required across
zones allows at most one node per zone, which caps the HPA at the number of zones: prefer it, or use
topologySpreadConstraints.
*/}}
{{- define "csp-edge-node.podAntiAffinity" -}}
{{- $a := .Values.podAntiAffinity }}
{{- $matchLabels := include "csp-edge-node.selectorLabels" . | fromYaml }}
{{- $required := list }}
{{- $preferred := list }}
{{- range (list (list "kubernetes.io/hostname" $a.hostname 100) (list "topology.kubernetes.io/zone" $a.zone 50)) }}
{{- $term := dict "topologyKey" (index . 0) "labelSelector" (dict "matchLabels" $matchLabels) }}
{{- if eq (index . 1) "required" }}
{{- $required = append $required $term }}
{{- else if eq (index . 1) "preferred" }}
{{- $preferred = append $preferred (dict "weight" (index . 2) "podAffinityTerm" $term) }}
{{- else if (index . 1) }}
{{- fail (printf "podAntiAffinity for %s must be preferred, required or empty; was %q" (index . 0) (index . 1)) }}
{{- end }}
{{- end }}
{{- if or $required $preferred }}
podAntiAffinity:
  {{- with $required }}
  requiredDuringSchedulingIgnoredDuringExecution: {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $preferred }}
  preferredDuringSchedulingIgnoredDuringExecution: {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Refuses, at install time, values the node or the cluster would refuse later. */}}
{{- define "csp-edge-node.validate" -}}
{{- include "csp-edge-node.validateConfig" . }}
{{- $_ := include "csp-edge-node.stopTimeout" . }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" (toString .Values.clusterDomain)) }}
{{- fail (printf "clusterDomain must be the cluster's DNS domain, such as cluster.local (no leading or trailing dot); was %q" (toString .Values.clusterDomain)) }}
{{- end }}
{{- if not (regexMatch "^[a-z][a-z0-9-]{0,31}$" (toString .Values.region)) }}
{{- fail (printf "region must be a short lower-case name such as north, central or south (the node refuses others); was %q" (toString .Values.region)) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- if le (int .Values.terminationGracePeriodSeconds) (int .Values.preStopSleepSeconds) }}
{{- fail "terminationGracePeriodSeconds must exceed preStopSleepSeconds, or the node is killed before it drains" }}
{{- end }}
{{- /* The pod listens on every interface, where the node refuses to start unauthenticated: say so at install. */}}
{{- $clientCerts := and .Values.tls.secretName .Values.tls.clientCa }}
{{- if not (or .Values.security.allowAnonymous .Values.security.mqttCredentialsSecret $clientCerts) }}
{{- fail "MQTT clients must authenticate: set security.mqttCredentialsSecret (an existing Secret with key `credentials`, lines name:bcrypt from `csp-edge-node hash-password`), or tls.secretName with tls.clientCa, or security.allowAnonymous=true on purpose. The region values files name csp-edge-mqtt-credentials (helm/csp-edge-node/README.md, Security)" }}
{{- end }}
{{- if not (or .Values.security.allowAnonymous .Values.security.httpTokensSecret $clientCerts) }}
{{- fail "HTTP callers must authenticate: set security.httpTokensSecret (an existing Secret with key `tokens`, lines name:role:sha256 from `csp-edge-node new-token`), or tls.secretName with tls.clientCa, or security.allowAnonymous=true on purpose. The region values files name csp-edge-http-tokens (helm/csp-edge-node/README.md, Security)" }}
{{- end }}
{{- /* The SMTP password is only ever the mounted Secret's: a login without it would fail at every digest. */}}
{{- $smtpSecret := .Values.digestEmail.smtp.existingSecret }}
{{- if dig "digests" "email" "smtp" "passwordFile" "" (.Values.config | default dict) }}
{{- fail "config.digests.email.smtp.passwordFile is set by the chart: nothing mounts another file in the pod. Put the SMTP password in an existing Secret and set digestEmail.smtp.existingSecret (and digestEmail.smtp.passwordKey, its key; default password)" }}
{{- end }}
{{- if and (dig "digests" "email" "enabled" false (.Values.config | default dict)) (dig "digests" "email" "smtp" "username" "" (.Values.config | default dict)) (not $smtpSecret) }}
{{- fail "config.digests.email.smtp.username is set but the SMTP password has no Secret: set digestEmail.smtp.existingSecret to an existing Secret holding it under digestEmail.smtp.passwordKey (kubectl create secret generic csp-edge-smtp --from-file=password=./smtp-password), or remove the username for a server that takes mail without a login" }}
{{- end }}
{{- if and (dig "digests" "email" "enabled" false (.Values.config | default dict)) $smtpSecret (not (dig "digests" "email" "smtp" "username" "" (.Values.config | default dict))) }}
{{- fail "digestEmail.smtp.existingSecret holds an SMTP password but config.digests.email.smtp.username is not set: set the login's user name, or remove the Secret for a server that takes mail without a login" }}
{{- end }}
{{- /* Passwords and tokens never cross the network in clear: the node refuses to start so (security.md). */}}
{{- if and (or .Values.security.mqttCredentialsSecret .Values.security.httpTokensSecret) (not .Values.tls.secretName) (not .Values.security.allowPlaintextCredentials) }}
{{- fail "MQTT passwords and HTTP tokens would travel in clear: set tls.secretName (an existing kubernetes.io/tls Secret; the region values files name csp-edge-tls), or security.allowPlaintextCredentials=true on purpose (a lab, or TLS ended in front of the pods)" }}
{{- end }}
{{- end }}

{{/*
The node's whole stop (node.stopTimeout), in seconds: the grace period less the preStop sleep and a margin for the
JVM's exit. At least 5 s, the node's minimum, and longer than config.outbox.drainTimeout (the drain is one part of
the stop; the node refuses to start otherwise): the chart refuses a grace period that leaves less.
*/}}
{{- define "csp-edge-node.stopTimeout" -}}
{{- $grace := int .Values.terminationGracePeriodSeconds -}}
{{- $pre := int .Values.preStopSleepSeconds -}}
{{- $margin := int .Values.stopMarginSeconds -}}
{{- $n := sub (sub $grace $pre) $margin -}}
{{- if lt $n 5 -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) plus stopMarginSeconds (%d) by at least 5 s: the node's stop (NODE_STOP_TIMEOUT) is what is left" $grace $pre $margin) -}}
{{- end -}}
{{- $drainText := dig "outbox" "drainTimeout" "20s" (.Values.config | default dict) -}}
{{- $drain := include "csp-edge-node.durationMs" (list "config.outbox.drainTimeout" $drainText) | int64 -}}
{{- if le (mul $n 1000) $drain -}}
{{- $least := add (max 5 (add (div $drain 1000) 1)) $pre $margin -}}
{{- fail (printf "the node's stop, NODE_STOP_TIMEOUT = terminationGracePeriodSeconds (%d) - preStopSleepSeconds (%d) - stopMarginSeconds (%d) = %ds, must be longer than config.outbox.drainTimeout (%s): the node refuses to start otherwise. Raise terminationGracePeriodSeconds to %d or more, or lower config.outbox.drainTimeout below %ds" $grace $pre $margin $n $drainText $least $n) -}}
{{- end -}}
{{- $n -}}
{{- end }}

{{/* The hub state's synchronous backups, 1 to 6 (Hazelcast's limit); anything else fails the install. */}}
{{- define "csp-edge-node.hubBackups" -}}
{{- $n := .Values.hubBackups | int -}}
{{- if or (lt $n 1) (gt $n 6) -}}
{{- fail (printf "hubBackups must be 1 to 6, was %v" .Values.hubBackups) -}}
{{- end -}}
{{- $n -}}
{{- end }}

{{/*
The cluster's quorum (NODE_CLUSTER_QUORUM): clusterQuorum when set, else a majority of the members the cluster always
has (autoscaling.minReplicas, or replicas without autoscaling), so that at most one side of a split decides. 1 (no
quorum) for a single replica.
*/}}
{{- define "csp-edge-node.clusterQuorum" -}}
{{- $members := ternary .Values.autoscaling.minReplicas .Values.replicas .Values.autoscaling.enabled | int -}}
{{- $n := add (div $members 2) 1 | int -}}
{{- if .Values.clusterQuorum -}}
{{- $n = .Values.clusterQuorum | int -}}
{{- end -}}
{{- if lt $n 1 -}}
{{- fail (printf "clusterQuorum must be 1 or more, was %v" .Values.clusterQuorum) -}}
{{- end -}}
{{- $n -}}
{{- end -}}

{{/*
How long another member may go unheard and still count towards the quorum (NODE_CLUSTER_HEARTBEAT_TOLERANCE), in
seconds: more than cluster-config/kubernetes.xml's heartbeat interval of 1 s, or a member heard at every heartbeat
could fail to count. The node refuses it too; failing here says so at install.
*/}}
{{- define "csp-edge-node.clusterHeartbeatTolerance" -}}
{{- $n := .Values.clusterHeartbeatTolerance | int -}}
{{- if lt $n 2 -}}
{{- fail (printf "clusterHeartbeatTolerance must be 2 seconds or more (more than the heartbeat interval of 1 s), was %v" .Values.clusterHeartbeatTolerance) -}}
{{- end -}}
{{- $n -}}
{{- end -}}

{{/* The MQTT port, in the container and on the service: tlsPort (8883, MQTT over TLS) when the intakes have TLS. */}}
{{- define "csp-edge-node.mqttPort" -}}
{{- if .Values.tls.secretName }}{{ .Values.mqtt.tlsPort }}{{ else }}{{ .Values.mqtt.port }}{{ end }}
{{- end }}

{{- define "csp-edge-node.mqttServicePort" -}}
{{- if .Values.tls.secretName }}{{ .Values.mqtt.tlsPort }}{{ else }}{{ .Values.mqtt.service.port }}{{ end }}
{{- end }}
