package org.csp.edge.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made in the test with Bouncy Castle, written as PEM files the way a Kubernetes Secret mounts them:
 * a CA, server certificates for 127.0.0.1 / localhost signed by it, client certificates with a common name, and
 * a second, untrusted CA for the "wrong certificate" cases. EC P-256: fast to make.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private final Path dir;

  /** A key pair and its certificate, with the PEM files of both. */
  public record Issued(KeyPair keys, X509Certificate certificate, Path certFile, Path keyFile) {}

  public TestPki() throws IOException {
    this.dir = Files.createTempDirectory("pki");
  }

  public Path dir() {
    return dir;
  }

  public Issued ca(String name) {
    KeyPair keys = keys();
    X500Name subject = new X500Name("CN=" + name);
    X509Certificate cert = sign(subject, keys, subject, keys.getPrivate(), true, null, null);
    return write(name, keys, cert);
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  public Issued server(Issued ca, String name) {
    KeyPair keys = keys();
    GeneralNames sans = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")});
    X509Certificate cert = sign(new X500Name("CN=" + name), keys, issuer(ca), ca.keys().getPrivate(), false, sans,
        KeyPurposeId.id_kp_serverAuth);
    return write(name, keys, cert);
  }

  public Issued client(Issued ca, String commonName) {
    KeyPair keys = keys();
    X509Certificate cert = sign(new X500Name("CN=" + commonName + ",O=CSP test"), keys, issuer(ca), ca.keys().getPrivate(),
        false, null, KeyPurposeId.id_kp_clientAuth);
    return write("client-" + commonName, keys, cert);
  }

  private static X500Name issuer(Issued ca) {
    return new X500Name(ca.certificate().getSubjectX500Principal().getName());
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey, boolean ca,
      GeneralNames sans, KeyPurposeId purpose) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      if (sans != null) b.addExtension(Extension.subjectAlternativeName, false, sans);
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued write(String name, KeyPair keys, X509Certificate cert) {
    try {
      Path certFile = dir.resolve(name + ".crt");
      Path keyFile = dir.resolve(name + ".key");
      Files.writeString(certFile, pem(cert));
      // PKCS#8 ("BEGIN PRIVATE KEY"), as cert-manager and openssl write it.
      Files.writeString(keyFile, pem(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())));
      return new Issued(keys, cert, certFile, keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }
}
