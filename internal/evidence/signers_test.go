package evidence

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func authorizedKey(k ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

func TestParseAllowedSigners(t *testing.T) {
	dir := t.TempDir()
	_, a := testKey(t, dir, "ed25519")
	_, b := testKey(t, dir, "rsa")
	text := strings.Join([]string{
		"# reviewers",
		"",
		"alice@example.com,bob@example.com " + authorizedKey(a.PublicKey()) + " alice's laptop",
		`"carol@example.com" namespaces="lockdown-evidence,git",valid-after="20260101",valid-before="20270101Z" ` + authorizedKey(b.PublicKey()),
		"*@example.com cert-authority " + authorizedKey(b.PublicKey()),
		"\tdave@example.com\t" + authorizedKey(a.PublicKey()) + "\r",
	}, "\n")
	got, err := ParseAllowedSigners("allowed_signers", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d signers, want 4", len(got))
	}
	if got[0].Principals != "alice@example.com,bob@example.com" || got[0].Line != 3 || got[0].Namespaces != "" {
		t.Errorf("line 3: %+v", got[0])
	}
	c := got[1]
	if c.Principals != "carol@example.com" || c.Namespaces != "lockdown-evidence,git" || c.ValidAfter.IsZero() || !c.ValidBefore.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("line 4: %+v", c)
	}
	if !got[2].CertAuthority || got[3].Principals != "dave@example.com" {
		t.Errorf("lines 5-6: %+v %+v", got[2], got[3])
	}
}

func TestParseAllowedSignersErrorsNameTheLine(t *testing.T) {
	_, a := testKey(t, t.TempDir(), "ed25519")
	key := authorizedKey(a.PublicKey())
	cases := map[string]string{
		"alice@example.com":                                   "no key after the principals",
		"alice@example.com ssh-ed25519 AAAAnotakey":           "no valid public key",
		`alice@example.com frobnicate="x" ` + key:             `unknown option "frobnicate"`,
		`alice@example.com valid-after="tomorrow" ` + key:     "valid-after",
		`"alice@example.com ` + key:                           "unterminated quote",
		`alice@example.com namespaces ` + key:                 "option namespaces",
		`alice@example.com ` + key + "\n" + "x@y " + key[:20]: ":2:",
	}
	for in, want := range cases {
		_, err := ParseAllowedSigners("signers", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "signers:") {
			t.Errorf("%q: %v, want an error naming the line with %q", in, err, want)
		}
	}
}

func TestAuthorize(t *testing.T) {
	dir := t.TempDir()
	_, a := testKey(t, dir, "ed25519")
	_, b := testKey(t, dir, "ecdsa")
	key := authorizedKey(a.PublicKey())
	parse := func(lines ...string) []AllowedSigner {
		t.Helper()
		s, err := ParseAllowedSigners("allowed", []byte(strings.Join(lines, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name     string
		signers  []AllowedSigner
		key      ssh.PublicKey
		identity string
		want     string // "" = authorised
	}{
		{"listed", parse("alice@example.com " + key), a.PublicKey(), "", ""},
		{"listed for the identity", parse("*@example.com,!mallory@example.com " + key), a.PublicKey(), "alice@example.com", ""},
		{"negated identity", parse("*@example.com,!mallory@example.com " + key), a.PublicKey(), "mallory@example.com", "not for"},
		{"other identity", parse("alice@example.com " + key), a.PublicKey(), "bob@example.com", "not for"},
		{"namespace allowed", parse(`alice@example.com namespaces="git,lockdown-*" ` + key), a.PublicKey(), "", ""},
		{"namespace not allowed", parse(`alice@example.com namespaces="git,file" ` + key), a.PublicKey(), "", "namespaces"},
		{"not listed", parse("alice@example.com " + authorizedKey(b.PublicKey())), a.PublicKey(), "", "not in the allowed signers"},
		{"certificate authority", parse("alice@example.com cert-authority " + key), a.PublicKey(), "", "certificate authority"},
		{"not yet valid", parse(`alice@example.com valid-after="20270101Z" ` + key), a.PublicKey(), "", "valid after"},
		{"expired", parse(`alice@example.com valid-before="202611301200Z" ` + key), a.PublicKey(), "", "valid before"},
		{"one good line of two", parse(`alice@example.com namespaces="git" `+key, "ci@example.com "+key), a.PublicKey(), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			principals, err := Authorize(c.signers, c.key, Namespace, c.identity, testNow)
			if c.want == "" {
				if err != nil || len(principals) == 0 {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("%v (principals %v), want an error with %q", err, principals, c.want)
			}
			if !strings.Contains(err.Error(), "SHA256:") {
				t.Fatalf("the error does not name the key: %v", err)
			}
		})
	}
}

func TestMatchPatternList(t *testing.T) {
	cases := []struct {
		s, list string
		want    bool
	}{
		{"alice@example.com", "alice@example.com", true},
		{"alice@example.com", "bob@example.com,alice@*", true},
		{"alice@example.com", "*", true},
		{"alice@example.com", "a?ice@example.com", true},
		{"alice@example.com", "*@example.org", false},
		{"alice@example.com", "*,!alice@*", false},
		{"alice@example.com", "!bob@*", false},
		{"lockdown-evidence", "lockdown-*", true},
		{"lockdown-evidence", "lockdown", false},
	}
	for _, c := range cases {
		if got := matchPatternList(c.s, c.list); got != c.want {
			t.Errorf("matchPatternList(%q, %q) = %v", c.s, c.list, got)
		}
	}
}

func FuzzParseAllowedSigners(f *testing.F) {
	f.Add([]byte(`alice@example.com namespaces="lockdown-evidence" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC0mZ0MvvwXqTSgFWmE5xXNB0z5k0LBU2VTIqkAyYH9B c`))
	f.Add([]byte(`"a b" cert-authority,valid-before="20270101Z" ssh-ed25519 AAAA`))
	f.Fuzz(func(t *testing.T, data []byte) {
		signers, err := ParseAllowedSigners("f", data)
		if err != nil {
			return
		}
		for _, s := range signers {
			if s.Key == nil || s.Principals == "" {
				t.Fatalf("a signer without key or principals: %+v", s)
			}
		}
	})
}
