package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// AllowedSigner is one line of an OpenSSH allowed_signers file (see
// ssh-keygen(1), ALLOWED SIGNERS):
//
//	principals [options] keytype base64-key [comment]
//
// principals is a comma-separated pattern list; the options lockdown reads
// are namespaces="pattern-list", valid-after="timestamp" and
// valid-before="timestamp". cert-authority lines name a CA, not a signer;
// lockdown does not verify certificate signatures, so such a line never
// authorises one.
type AllowedSigner struct {
	Line          int
	Principals    string
	Namespaces    string // "" when the line does not restrict them
	CertAuthority bool
	ValidAfter    time.Time // zero when unset
	ValidBefore   time.Time // zero when unset
	Key           ssh.PublicKey
}

// maxSignersFile bounds an allowed_signers file.
const maxSignersFile = 16 << 20

// LoadAllowedSigners reads an allowed_signers file.
func LoadAllowedSigners(path string) ([]AllowedSigner, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, errText(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSignersFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, errText(err))
	}
	if len(data) > maxSignersFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxSignersFile)
	}
	return ParseAllowedSigners(path, data)
}

// ParseAllowedSigners parses allowed_signers text. Blank lines and lines
// starting with '#' are comments. A line that cannot be parsed is an error
// naming it: a reviewer's trust list that says something lockdown cannot
// read must not be half-applied.
func ParseAllowedSigners(name string, data []byte) ([]AllowedSigner, error) {
	var out []AllowedSigner
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(strings.TrimSuffix(string(raw), "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := parseSignerLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, i+1, err)
		}
		s.Line = i + 1
		out = append(out, s)
	}
	return out, nil
}

func parseSignerLine(line string) (AllowedSigner, error) {
	var s AllowedSigner
	principals, rest, err := firstField(line)
	if err != nil {
		return s, err
	}
	if principals == "" {
		return s, errors.New("no principals")
	}
	s.Principals = principals
	if strings.TrimSpace(rest) == "" {
		return s, errors.New("no key after the principals")
	}
	// The rest has the shape of an authorized_keys line: options, key
	// type, key, comment.
	key, _, options, tail, err := ssh.ParseAuthorizedKey([]byte(rest))
	if err != nil {
		return s, errors.New("no valid public key after the principals")
	}
	if len(bytes.TrimSpace(tail)) != 0 {
		return s, errors.New("one signer per line")
	}
	s.Key = key
	for _, opt := range options {
		name, value, hasValue := strings.Cut(opt, "=")
		switch strings.ToLower(name) {
		case "cert-authority":
			s.CertAuthority = true
		case "namespaces", "valid-after", "valid-before":
			v, err := unquote(value)
			if !hasValue || err != nil {
				return s, fmt.Errorf("option %s: want %s=\"...\"", name, name)
			}
			switch strings.ToLower(name) {
			case "namespaces":
				s.Namespaces = v
			case "valid-after":
				if s.ValidAfter, err = parseSignerTime(v); err != nil {
					return s, fmt.Errorf("valid-after: %v", err)
				}
			case "valid-before":
				if s.ValidBefore, err = parseSignerTime(v); err != nil {
					return s, fmt.Errorf("valid-before: %v", err)
				}
			}
		default:
			return s, fmt.Errorf("unknown option %q", name)
		}
	}
	return s, nil
}

// firstField splits off the principals field, which may be quoted.
func firstField(line string) (string, string, error) {
	if strings.HasPrefix(line, `"`) {
		end := strings.Index(line[1:], `"`)
		if end < 0 {
			return "", "", errors.New("unterminated quote in principals")
		}
		return line[1 : end+1], line[end+2:], nil
	}
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return line, "", nil
	}
	return line[:i], line[i:], nil
}

func unquote(v string) (string, error) {
	if len(v) >= 2 && strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) {
		return v[1 : len(v)-1], nil
	}
	if strings.Contains(v, `"`) {
		return "", errors.New("bad quoting")
	}
	return v, nil
}

// parseSignerTime reads ssh-keygen's timestamps: YYYYMMDD or
// YYYYMMDDHHMM[SS], in local time, or UTC with a final Z.
func parseSignerTime(v string) (time.Time, error) {
	loc := time.Local
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		loc, v = time.UTC, v[:len(v)-1]
	}
	layouts := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}
	layout, ok := layouts[len(v)]
	if !ok {
		return time.Time{}, fmt.Errorf("%q: want YYYYMMDD[HHMM[SS]][Z]", v)
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want YYYYMMDD[HHMM[SS]][Z]", v)
	}
	return t, nil
}

// matchPattern matches s against an ssh_config(5) pattern: '*' any run,
// '?' one character.
func matchPattern(s, pattern string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if matchPattern(s[i:], pattern[1:]) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
			s, pattern = s[1:], pattern[1:]
		default:
			if len(s) == 0 || s[0] != pattern[0] {
				return false
			}
			s, pattern = s[1:], pattern[1:]
		}
	}
	return len(s) == 0
}

// matchPatternList is ssh_config(5)'s pattern-list: comma-separated
// patterns, '!' negating one; a negated match refuses whatever else
// matches.
func matchPatternList(s, list string) bool {
	matched := false
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			if matchPattern(s, neg) {
				return false
			}
			continue
		}
		if matchPattern(s, p) {
			matched = true
		}
	}
	return matched
}

// Authorize finds the allowed_signers lines that let key sign in
// namespace at time now (and, when identity is set, for that principal):
// it returns their principals, or an error saying why none does.
func Authorize(signers []AllowedSigner, key ssh.PublicKey, namespace, identity string, now time.Time) ([]string, error) {
	want := key.Marshal()
	var principals, why []string
	listed := false
	for _, s := range signers {
		if !bytes.Equal(s.Key.Marshal(), want) {
			continue
		}
		listed = true
		where := fmt.Sprintf("line %d", s.Line)
		switch {
		case s.CertAuthority:
			why = append(why, where+" names it as a certificate authority, not as a signer")
		case identity != "" && !matchPatternList(identity, s.Principals):
			why = append(why, fmt.Sprintf("%s lists it for %q, not for %q", where, s.Principals, identity))
		case s.Namespaces != "" && !matchPatternList(namespace, s.Namespaces):
			why = append(why, fmt.Sprintf("%s allows it for namespaces %q only, not %q", where, s.Namespaces, namespace))
		case !s.ValidAfter.IsZero() && now.Before(s.ValidAfter):
			why = append(why, fmt.Sprintf("%s makes it valid after %s only", where, s.ValidAfter.UTC().Format(time.RFC3339)))
		case !s.ValidBefore.IsZero() && !now.Before(s.ValidBefore):
			why = append(why, fmt.Sprintf("%s made it valid before %s only", where, s.ValidBefore.UTC().Format(time.RFC3339)))
		default:
			principals = append(principals, s.Principals)
		}
	}
	if len(principals) > 0 {
		return principals, nil
	}
	if !listed {
		return nil, fmt.Errorf("the signing key %s %s is not in the allowed signers", key.Type(), ssh.FingerprintSHA256(key))
	}
	return nil, fmt.Errorf("the signing key %s %s is listed, but %s", key.Type(), ssh.FingerprintSHA256(key), strings.Join(why, "; "))
}
