package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Problem is one way a bundle fails to verify, naming the file.
type Problem struct {
	Path string
	Msg  string
}

func (p Problem) String() string { return p.Path + ": " + p.Msg }

// SignatureCheck is what verification learnt of manifest.json.sig.
type SignatureCheck struct {
	Present bool
	// Valid: the signature parses and signs manifest.json under the
	// lockdown-evidence namespace with the key it carries.
	Valid       bool
	Algorithm   string
	KeyType     string
	Fingerprint string
	// Authenticated: the key is allowed for the namespace by the allowed
	// signers given; Principals are the matching lines' principals.
	Authenticated bool
	Principals    []string
}

// Integrity is the outcome of checking a bundle's members against its
// manifest and signature.
type Integrity struct {
	Manifest  *Manifest // nil when manifest.json is not a valid manifest
	Signature SignatureCheck
	Problems  []Problem
	Listed    int // files the manifest lists
}

// IntegrityOptions say whom to trust.
type IntegrityOptions struct {
	// Signers are the allowed signers; with HaveSigners false no signer is
	// authenticated (a signature is still checked against its own key).
	Signers     []AllowedSigner
	HaveSigners bool
	// Identity, when set, is the principal the signer must be listed as.
	Identity string
	Now      time.Time
}

// ErrNoManifest is a bundle without manifest.json: not a bundle at all.
var ErrNoManifest = errors.New("no " + ManifestName + " (not a lockdown evidence bundle)")

// CheckIntegrity checks the signature over manifest.json, the manifest
// itself, and every member against it: each listed file present with its
// size and SHA-256, and no member the manifest does not list (other than
// the manifest and its signature).
func CheckIntegrity(b *Bundle, opts IntegrityOptions) (*Integrity, error) {
	manifest, ok := b.Files[ManifestName]
	if !ok {
		return nil, ErrNoManifest
	}
	out := &Integrity{}
	problem := func(path, format string, a ...any) {
		out.Problems = append(out.Problems, Problem{path, fmt.Sprintf(format, a...)})
	}
	if sigData, ok := b.Files[SignatureName]; ok {
		out.Signature.Present = true
		sig, err := ParseSignature(sigData)
		if err != nil {
			problem(SignatureName, "%v", err)
		} else {
			out.Signature.Algorithm = sig.Algorithm
			out.Signature.KeyType = sig.Key.Type()
			out.Signature.Fingerprint = sig.Fingerprint()
			if err := sig.Verify(manifest, Namespace); err != nil {
				problem(SignatureName, "%v", err)
			} else {
				out.Signature.Valid = true
				if opts.HaveSigners {
					principals, err := Authorize(opts.Signers, sig.Key, Namespace, opts.Identity, opts.Now)
					if err != nil {
						problem(SignatureName, "%v", err)
					} else {
						out.Signature.Authenticated = true
						out.Signature.Principals = principals
					}
				}
			}
		}
	} else if opts.HaveSigners {
		problem(SignatureName, "missing: the bundle is not signed, and --allowed-signers asks for a signer")
	}
	m, err := ParseManifest(manifest)
	if err != nil {
		problem(ManifestName, "%v", err)
		return out, nil
	}
	out.Manifest = m
	out.Listed = len(m.Files)
	listed := map[string]bool{ManifestName: true, SignatureName: true}
	for _, f := range m.Files {
		listed[f.Path] = true
		data, ok := b.Files[f.Path]
		if !ok {
			problem(f.Path, "listed in the manifest but missing from the bundle")
			continue
		}
		if int64(len(data)) != f.Size {
			problem(f.Path, "%d bytes; the manifest says %d", len(data), f.Size)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
			problem(f.Path, "SHA-256 %s; the manifest says %s", got, f.SHA256)
		}
	}
	var extra []string
	for name := range b.Files {
		if !listed[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		problem(name, "in the bundle but not listed in the manifest")
	}
	return out, nil
}
