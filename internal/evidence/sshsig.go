package evidence

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
)

// The SSHSIG envelope, as OpenSSH's PROTOCOL.sshsig describes it:
//
//	byte[6]  "SSHSIG"
//	uint32   1 (version)
//	string   public key (SSH wire form)
//	string   namespace
//	string   reserved ("")
//	string   hash algorithm ("sha512" or "sha256")
//	string   signature (SSH wire form: string algorithm, string blob)
//
// The key signs, instead of the message itself:
//
//	byte[6]  "SSHSIG"
//	string   namespace
//	string   reserved
//	string   hash algorithm
//	string   H(message)
//
// and the envelope is armored as base64 between "-----BEGIN SSH
// SIGNATURE-----" and "-----END SSH SIGNATURE-----" lines.
const (
	sigMagic   = "SSHSIG"
	sigVersion = 1
	armorBegin = "-----BEGIN SSH SIGNATURE-----"
	armorEnd   = "-----END SSH SIGNATURE-----"
	armorWidth = 70 // ssh-keygen's line length
	// HashAlgorithm is the hash lockdown signs with.
	HashAlgorithm = "sha512"
)

// maxKeyFile bounds a private key file read for signing.
const maxKeyFile = 1 << 20

// KeyError is a signing key that cannot be used.
type KeyError struct {
	Path string
	Msg  string
}

func (e *KeyError) Error() string { return e.Path + ": " + e.Msg }

// LoadSigner reads an OpenSSH (or PEM) private key for signing. An
// encrypted key is refused with a clear error: lockdown does not prompt for
// passphrases. The key material never appears in an error.
func LoadSigner(path string) (ssh.Signer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &KeyError{path, "cannot read the key: " + errText(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, &KeyError{path, "cannot read the key: " + errText(err)}
	}
	if len(data) > maxKeyFile {
		return nil, &KeyError{path, "not a private key (larger than 1 MiB)"}
	}
	signer, err := ssh.ParsePrivateKey(data)
	var pm *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &pm):
		return nil, &KeyError{path, "the private key is encrypted with a passphrase, and lockdown does not ask for passphrases: sign with a key kept for signing without one, or sign manifest.json yourself with ssh-keygen -Y sign -n " + Namespace}
	case err != nil:
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("ssh-")) || bytes.HasPrefix(bytes.TrimSpace(data), []byte("ecdsa-")) {
			return nil, &KeyError{path, "a public key; --sign-key wants the private key"}
		}
		return nil, &KeyError{path, "not a usable SSH private key (ed25519, RSA or ECDSA, OpenSSH or PEM format)"}
	}
	return signer, nil
}

// errText keeps the operating system's reason (not found, permission
// denied) without repeating the path.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func sshString(b *bytes.Buffer, s []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(s)))
	b.Write(n[:])
	b.Write(s)
}

// signedData is what the key signs for message under namespace.
func signedData(namespace, hashAlg string, message []byte) ([]byte, error) {
	var digest []byte
	switch hashAlg {
	case "sha512":
		d := sha512.Sum512(message)
		digest = d[:]
	case "sha256":
		d := sha256.Sum256(message)
		digest = d[:]
	default:
		return nil, fmt.Errorf("hash algorithm %q (want sha512 or sha256)", hashAlg)
	}
	var b bytes.Buffer
	b.WriteString(sigMagic)
	sshString(&b, []byte(namespace))
	sshString(&b, nil)
	sshString(&b, []byte(hashAlg))
	sshString(&b, digest)
	return b.Bytes(), nil
}

// Sign returns the armored SSH signature of message by signer under
// namespace, with SHA-512. RSA keys sign with rsa-sha2-512 (never SHA-1).
func Sign(signer ssh.Signer, message []byte, namespace string) ([]byte, error) {
	data, err := signedData(namespace, HashAlgorithm, message)
	if err != nil {
		return nil, err
	}
	var sig *ssh.Signature
	if signer.PublicKey().Type() == ssh.KeyAlgoRSA {
		as, ok := signer.(ssh.AlgorithmSigner)
		if !ok {
			return nil, errors.New("this RSA key cannot sign with rsa-sha2-512")
		}
		sig, err = as.SignWithAlgorithm(rand.Reader, data, ssh.KeyAlgoRSASHA512)
	} else {
		sig, err = signer.Sign(rand.Reader, data)
	}
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	var env bytes.Buffer
	env.WriteString(sigMagic)
	var version [4]byte
	binary.BigEndian.PutUint32(version[:], sigVersion)
	env.Write(version[:])
	sshString(&env, signer.PublicKey().Marshal())
	sshString(&env, []byte(namespace))
	sshString(&env, nil)
	sshString(&env, []byte(HashAlgorithm))
	sshString(&env, ssh.Marshal(sig))
	return armor(env.Bytes()), nil
}

func armor(blob []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(blob)
	var b bytes.Buffer
	b.WriteString(armorBegin + "\n")
	for len(enc) > armorWidth {
		b.WriteString(enc[:armorWidth] + "\n")
		enc = enc[armorWidth:]
	}
	b.WriteString(enc + "\n")
	b.WriteString(armorEnd + "\n")
	return b.Bytes()
}

// Signature is a parsed SSHSIG signature.
type Signature struct {
	Key       ssh.PublicKey
	Namespace string
	HashAlg   string
	Algorithm string // the signature algorithm, e.g. ssh-ed25519, rsa-sha2-512
	sig       *ssh.Signature
}

// Fingerprint is the signer key's SHA256 fingerprint, as ssh-keygen -l
// shows it.
func (s *Signature) Fingerprint() string { return ssh.FingerprintSHA256(s.Key) }

// ParseSignature decodes an armored SSHSIG signature.
func ParseSignature(armored []byte) (*Signature, error) {
	text := strings.TrimSpace(string(armored))
	if !strings.HasPrefix(text, armorBegin) || !strings.HasSuffix(text, armorEnd) {
		return nil, errors.New("not an armored SSH signature (" + armorBegin + ")")
	}
	body := strings.TrimSuffix(strings.TrimPrefix(text, armorBegin), armorEnd)
	blob, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body), ""))
	if err != nil {
		return nil, errors.New("the signature is not valid base64")
	}
	r := &reader{b: blob}
	if string(r.bytes(len(sigMagic))) != sigMagic {
		return nil, errors.New("not an SSHSIG signature (no SSHSIG preamble)")
	}
	version := r.uint32()
	pub := r.str()
	ns := r.str()
	_ = r.str() // reserved
	hashAlg := r.str()
	sigBlob := r.str()
	if r.err != nil {
		return nil, errors.New("truncated SSHSIG signature")
	}
	if len(r.b) != 0 {
		return nil, errors.New("trailing bytes after the SSHSIG signature")
	}
	if version != sigVersion {
		return nil, fmt.Errorf("SSHSIG version %d (want %d)", version, sigVersion)
	}
	key, err := ssh.ParsePublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("the signature's public key: %v", err)
	}
	if _, isCert := key.(*ssh.Certificate); isCert {
		return nil, errors.New("signed with an SSH certificate; lockdown verifies signatures by plain keys only")
	}
	var sig ssh.Signature
	if err := ssh.Unmarshal(sigBlob, &sig); err != nil {
		return nil, fmt.Errorf("the signature blob: %v", err)
	}
	if string(hashAlg) != "sha512" && string(hashAlg) != "sha256" {
		return nil, fmt.Errorf("hash algorithm %q (want sha512 or sha256)", hashAlg)
	}
	return &Signature{Key: key, Namespace: string(ns), HashAlg: string(hashAlg), Algorithm: sig.Format, sig: &sig}, nil
}

// Verify checks that s signs message under namespace with the key it
// carries. It says nothing of who holds the key: that is Authorize's job.
func (s *Signature) Verify(message []byte, namespace string) error {
	if s.Namespace != namespace {
		return fmt.Errorf("signed for namespace %q, not %q", s.Namespace, namespace)
	}
	if s.sig.Format == ssh.KeyAlgoRSA {
		return errors.New("an RSA signature with SHA-1 (ssh-rsa), which is not accepted; sign with rsa-sha2-512")
	}
	data, err := signedData(s.Namespace, s.HashAlg, message)
	if err != nil {
		return err
	}
	if err := s.Key.Verify(data, s.sig); err != nil {
		return errors.New("the signature does not match the manifest (" + s.Algorithm + " key " + s.Fingerprint() + ")")
	}
	return nil
}

// reader reads SSH wire-format fields, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || len(r.b) < n {
		r.err = io.ErrUnexpectedEOF
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) uint32() uint32 {
	b := r.bytes(4)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}

func (r *reader) str() []byte {
	n := r.uint32()
	if r.err != nil || uint64(n) > uint64(len(r.b)) {
		r.err = io.ErrUnexpectedEOF
		return nil
	}
	return r.bytes(int(n))
}
