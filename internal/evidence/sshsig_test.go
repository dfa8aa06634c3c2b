package evidence

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// testKey makes a fresh private key of kind (ed25519, rsa, ecdsa) and
// writes it in OpenSSH format, mode 0600, under dir. No private key is
// kept in the repository.
func testKey(t *testing.T, dir, kind string) (path string, signer ssh.Signer) {
	t.Helper()
	var priv crypto.Signer
	var err error
	switch kind {
	case "ed25519":
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	case "rsa":
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ecdsa":
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		t.Fatalf("key kind %q", kind)
	}
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "test "+kind)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "id_"+kind)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	signer, err = LoadSigner(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, signer
}

func TestSignVerifyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	msg := []byte(`{"schema":"lockdown.manifest/v1"}` + "\n")
	for _, kind := range []string{"ed25519", "rsa", "ecdsa"} {
		t.Run(kind, func(t *testing.T) {
			_, signer := testKey(t, dir, kind)
			armored, err := Sign(signer, msg, Namespace)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(armored, []byte(armorBegin+"\n")) || !bytes.HasSuffix(armored, []byte(armorEnd+"\n")) {
				t.Fatalf("not armored:\n%s", armored)
			}
			for _, l := range strings.Split(strings.TrimSpace(string(armored)), "\n") {
				if len(l) > armorWidth {
					t.Fatalf("armor line of %d characters", len(l))
				}
			}
			sig, err := ParseSignature(armored)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sig.Key.Marshal(), signer.PublicKey().Marshal()) {
				t.Fatal("the signature carries another key")
			}
			if sig.HashAlg != "sha512" {
				t.Fatalf("hash %q, want sha512", sig.HashAlg)
			}
			if kind == "rsa" && sig.Algorithm != ssh.KeyAlgoRSASHA512 {
				t.Fatalf("RSA signed with %s, want rsa-sha2-512", sig.Algorithm)
			}
			if err := sig.Verify(msg, Namespace); err != nil {
				t.Fatalf("own signature does not verify: %v", err)
			}
			tampered := append([]byte(nil), msg...)
			tampered[3] ^= 1
			if err := sig.Verify(tampered, Namespace); err == nil {
				t.Fatal("a changed message verifies")
			}
			if err := sig.Verify(msg, "file"); err == nil || !strings.Contains(err.Error(), "namespace") {
				t.Fatalf("another namespace: %v", err)
			}
		})
	}
}

func TestSignatureForOtherNamespaceRefused(t *testing.T) {
	_, signer := testKey(t, t.TempDir(), "ed25519")
	msg := []byte("manifest")
	armored, err := Sign(signer, msg, "git")
	if err != nil {
		t.Fatal(err)
	}
	sig, err := ParseSignature(armored)
	if err != nil {
		t.Fatal(err)
	}
	if err := sig.Verify(msg, Namespace); err == nil {
		t.Fatal("a signature for namespace git verifies as lockdown-evidence")
	}
}

// envelope builds an SSHSIG blob by hand, for signatures Sign never makes.
func envelope(pub ssh.PublicKey, ns, hashAlg string, sig *ssh.Signature) []byte {
	var env bytes.Buffer
	env.WriteString(sigMagic)
	env.Write([]byte{0, 0, 0, 1})
	sshString(&env, pub.Marshal())
	sshString(&env, []byte(ns))
	sshString(&env, nil)
	sshString(&env, []byte(hashAlg))
	sshString(&env, ssh.Marshal(sig))
	return armor(env.Bytes())
}

func TestSHA1RSASignatureRefused(t *testing.T) {
	_, signer := testKey(t, t.TempDir(), "rsa")
	msg := []byte("manifest")
	data, err := signedData(Namespace, "sha512", msg)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signer.(ssh.AlgorithmSigner).SignWithAlgorithm(rand.Reader, data, ssh.KeyAlgoRSA)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseSignature(envelope(signer.PublicKey(), Namespace, "sha512", sig))
	if err != nil {
		t.Fatal(err)
	}
	if err := parsed.Verify(msg, Namespace); err == nil || !strings.Contains(err.Error(), "SHA-1") {
		t.Fatalf("an ssh-rsa (SHA-1) signature: %v", err)
	}
}

func TestParseSignatureRejectsMalformed(t *testing.T) {
	_, signer := testKey(t, t.TempDir(), "ed25519")
	good, err := Sign(signer, []byte("m"), Namespace)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	body := strings.Join(lines[1:len(lines)-1], "")
	cases := map[string]string{
		"empty":          "",
		"no armor":       body,
		"not base64":     armorBegin + "\n!!!!\n" + armorEnd,
		"truncated":      armorBegin + "\n" + body[:len(body)/2] + "\n" + armorEnd,
		"other preamble": string(armor([]byte("SSHSIX\x00\x00\x00\x01"))),
		"version 2":      string(armor([]byte("SSHSIG\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))),
	}
	for name, in := range cases {
		if _, err := ParseSignature([]byte(in)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := ParseSignature(envelope(signer.PublicKey(), Namespace, "md5", &ssh.Signature{Format: "ssh-ed25519", Blob: make([]byte, 64)})); err == nil {
		t.Error("hash md5 accepted")
	}
}

func FuzzParseSignature(f *testing.F) {
	f.Add([]byte(armorBegin + "\nU1NIU0lH\n" + armorEnd))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, in []byte) {
		sig, err := ParseSignature(in)
		if err == nil {
			_ = sig.Verify([]byte("m"), Namespace)
		}
	})
}

func TestLoadSignerErrors(t *testing.T) {
	dir := t.TempDir()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "enc", []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	encrypted := filepath.Join(dir, "encrypted")
	pemData := pem.EncodeToMemory(block)
	if err := os.WriteFile(encrypted, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(dir, "key.pub")
	if err := os.WriteFile(pub, ssh.MarshalAuthorizedKey(sshPub), 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ path, want string }{
		{encrypted, "encrypted with a passphrase"},
		{pub, "a public key"},
		{garbage, "not a usable SSH private key"},
		{filepath.Join(dir, "missing"), "no such file"},
	}
	for _, c := range cases {
		_, err := LoadSigner(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", filepath.Base(c.path), err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "AAAA") || strings.Contains(err.Error(), string(pemData[40:60])) {
			t.Errorf("%s: the error quotes the key: %v", c.path, err)
		}
	}
}

// sshKeygen finds OpenSSH's ssh-keygen. With LOCKDOWN_SSH_KEYGEN=1 (make
// unit sets it, make deps installs openssh-client) a missing one fails the
// test; otherwise it is skipped, saying why.
func sshKeygen(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		if os.Getenv("LOCKDOWN_SSH_KEYGEN") == "1" {
			t.Fatalf("ssh-keygen not found (LOCKDOWN_SSH_KEYGEN=1; make deps installs openssh-client): %v", err)
		}
		t.Skipf("ssh-keygen not found (install openssh-client, or run make deps; LOCKDOWN_SSH_KEYGEN=1 makes this a failure): %v", err)
	}
	return p
}

func runKeygen(t *testing.T, keygen string, stdin []byte, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(keygen, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestSignatureVerifiesWithSSHKeygen checks lockdown's signatures with
// OpenSSH itself, the way a reviewer does, and OpenSSH's signatures with
// lockdown.
func TestSignatureVerifiesWithSSHKeygen(t *testing.T) {
	keygen := sshKeygen(t)
	dir := t.TempDir()
	manifest := []byte("{\n  \"schema\": \"lockdown.manifest/v1\"\n}\n")
	for _, kind := range []string{"ed25519", "rsa", "ecdsa"} {
		t.Run(kind, func(t *testing.T) {
			keyPath, signer := testKey(t, dir, kind)
			armored, err := Sign(signer, manifest, Namespace)
			if err != nil {
				t.Fatal(err)
			}
			sigPath := filepath.Join(dir, kind+".sig")
			if err := os.WriteFile(sigPath, armored, 0o600); err != nil {
				t.Fatal(err)
			}
			allowed := filepath.Join(dir, kind+".allowed")
			line := `reviewer@example.com namespaces="` + Namespace + `" ` + string(ssh.MarshalAuthorizedKey(signer.PublicKey()))
			if err := os.WriteFile(allowed, []byte(line), 0o600); err != nil {
				t.Fatal(err)
			}
			verify := func(ns string, msg []byte) (string, error) {
				return runKeygen(t, keygen, msg, "-Y", "verify", "-f", allowed, "-I", "reviewer@example.com", "-n", ns, "-s", sigPath)
			}
			if out, err := verify(Namespace, manifest); err != nil || !strings.Contains(out, "Good \""+Namespace+"\" signature") {
				t.Fatalf("ssh-keygen -Y verify refuses lockdown's signature: %v\n%s", err, out)
			}
			// The same check fails when it should: another namespace, a
			// changed manifest, a key that is not listed.
			if out, err := verify("file", manifest); err == nil {
				t.Fatalf("ssh-keygen accepts the signature for namespace file:\n%s", out)
			}
			if out, err := verify(Namespace, append([]byte(" "), manifest...)); err == nil {
				t.Fatalf("ssh-keygen accepts the signature over another manifest:\n%s", out)
			}
			_, other := testKey(t, t.TempDir(), kind)
			otherAllowed := filepath.Join(dir, kind+".other")
			if err := os.WriteFile(otherAllowed, []byte("reviewer@example.com "+string(ssh.MarshalAuthorizedKey(other.PublicKey()))), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := runKeygen(t, keygen, manifest, "-Y", "verify", "-f", otherAllowed, "-I", "reviewer@example.com", "-n", Namespace, "-s", sigPath); err == nil {
				t.Fatalf("ssh-keygen accepts the signature for a key not listed:\n%s", out)
			}

			// OpenSSH's own signature of the manifest passes lockdown's
			// verification.
			msgPath := filepath.Join(dir, kind+".manifest")
			if err := os.WriteFile(msgPath, manifest, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := runKeygen(t, keygen, nil, "-Y", "sign", "-f", keyPath, "-n", Namespace, msgPath); err != nil {
				t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, out)
			}
			theirs, err := os.ReadFile(msgPath + ".sig")
			if err != nil {
				t.Fatal(err)
			}
			sig, err := ParseSignature(theirs)
			if err != nil {
				t.Fatalf("OpenSSH's signature does not parse: %v\n%s", err, theirs)
			}
			if err := sig.Verify(manifest, Namespace); err != nil {
				t.Fatalf("OpenSSH's signature does not verify: %v", err)
			}
			signers, err := LoadAllowedSigners(allowed)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Authorize(signers, sig.Key, Namespace, "reviewer@example.com", testNow); err != nil {
				t.Fatalf("the allowed_signers line ssh-keygen accepts does not authorise the key: %v", err)
			}
		})
	}
}
