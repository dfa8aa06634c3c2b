// Package redact removes credentials from text before it is printed,
// stored in a snapshot or written into a report. Every error lockdown shows
// passes through it once, at the edge (collect for what it records and
// returns, the CLI for what it prints).
//
// What it removes:
//
//   - the value of any setting whose name is a secret's name: secret access
//     keys, session and security tokens, passwords, signatures, SSO access,
//     refresh and client secrets, Authorization, X-Amz-Security-Token and
//     X-Amz-Signature; in JSON ("Key": "v"), XML (<Key>v</Key>), INI and
//     key=value (key = v), quoted (Key="v", Key: 'v') and header (Key: v)
//     forms. Names are matched whole and without regard to case, "_" or "-"
//     (AWS_SECRET_ACCESS_KEY, aws_secret_access_key and SecretAccessKey are
//     one name), so a longer word such as InvalidClientTokenId is not a key;
//   - anything shaped like a secret wherever it stands: a run of exactly 40
//     base64 characters mixing upper case, lower case and digits or "/" "+"
//     (the shape of a secret access key), a run of 100 or more such
//     characters (a session token), and a JSON Web Token (eyJ...).
//
// Access key IDs (AKIA..., ASIA...) are kept: they are not secret, and the
// checks and the reader need them to tell keys apart. So are hexadecimal
// digests (no upper case) and ARNs, names and paths that do not have the
// shapes above.
package redact

import (
	"errors"
	"regexp"
	"strings"
)

// Mask replaces every removed value.
const Mask = "[REDACTED]"

// secretNames are setting names (lower case, "_" and "-" removed) whose
// values are secret.
var secretNames = map[string]bool{
	"secretaccesskey":    true,
	"awssecretaccesskey": true,
	"secretkey":          true,
	"awssecretkey":       true,
	"sessiontoken":       true,
	"awssessiontoken":    true,
	"securitytoken":      true,
	"awssecuritytoken":   true,
	"xamzsecuritytoken":  true,
	"token":              true,
	"accesstoken":        true,
	"refreshtoken":       true,
	"idtoken":            true,
	"webidentitytoken":   true,
	"clientsecret":       true,
	"secret":             true,
	"password":           true,
	"passwd":             true,
	"signature":          true,
	"xamzsignature":      true,
	"authorization":      true,
	"proxyauthorization": true,
	"bearertoken":        true,
	"xamzssobearertoken": true,
}

func isSecretName(name string) bool {
	n := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(name))
	return secretNames[n]
}

// name is a setting name; it must not follow a letter, digit, "_" or "-"
// (checked in code: RE2 has no look-behind).
const name = `([A-Za-z][A-Za-z0-9_-]*)`

var (
	// "Name": "value" and "Name":"value" (JSON), value may hold \" escapes.
	jsonForm = regexp.MustCompile(`"` + name + `"(\s*:\s*)"((?:[^"\\]|\\.)*)"`)
	// 'Name': 'value' (Python-style reprs).
	singleForm = regexp.MustCompile(`'` + name + `'(\s*:\s*)'([^']*)'`)
	// <Name>value</Name>.
	xmlForm = regexp.MustCompile(`<` + name + `>([^<]*)</([A-Za-z][A-Za-z0-9_-]*)>`)
	// Name="value", Name = 'value', Name: "value".
	quotedForm = regexp.MustCompile(name + `(\s*[:=]\s*)(?:"((?:[^"\\]|\\.)*)"|'([^']*)')`)
	// Name=value and Name = value (INI, env, query strings): to the next
	// space, quote, comma, semicolon, ampersand or bracket.
	assignForm = regexp.MustCompile(name + `([ \t]*=[ \t]*)([^\s"',;&<>()\[\]{}]+)`)
	// Authorization: value (HTTP header): the rest of the line.
	headerForm = regexp.MustCompile(`(?i)\b(authorization|proxy-authorization)(:[ \t]*)([^\r\n"]+)`)
	// Name: value for the unambiguous secret names only (a YAML or log
	// line); "Token: x" is left to the shape rules, as "Code: msg" is
	// common in error messages.
	colonForm = regexp.MustCompile(name + `(:[ \t]*)([^\s"',;&<>()\[\]{}]+)`)
	// A JSON Web Token.
	jwt = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`)
	// Runs of base64 characters; their length and mix are checked in code.
	b64run = regexp.MustCompile(`[A-Za-z0-9+/]+={0,2}`)
)

// colonNames may be redacted in the bare "Name: value" form.
var colonNames = map[string]bool{
	"secretaccesskey": true, "awssecretaccesskey": true, "sessiontoken": true, "awssessiontoken": true,
	"securitytoken": true, "awssecuritytoken": true, "xamzsecuritytoken": true, "password": true,
	"clientsecret": true, "accesstoken": true, "refreshtoken": true, "secretkey": true, "awssecretkey": true,
	"bearertoken": true, "xamzssobearertoken": true,
}

func wordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	c := s[i-1]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')
}

// replaceValue rewrites the matches of re whose name group (group 1) is a
// secret name: every group in valueGroups is replaced by Mask, the rest is
// kept.
func replaceValue(s string, re *regexp.Regexp, ok func(string) bool, needWordStart bool, valueGroups ...int) string {
	idx := re.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		nameStart, nameEnd := m[2], m[3]
		if !ok(s[nameStart:nameEnd]) || (needWordStart && !wordStart(s, nameStart)) {
			continue
		}
		pos := m[0]
		b.WriteString(s[last:pos])
		for _, g := range valueGroups {
			vs, ve := m[2*g], m[2*g+1]
			if vs < 0 {
				continue
			}
			b.WriteString(s[pos:vs])
			b.WriteString(Mask)
			pos = ve
		}
		b.WriteString(s[pos:m[1]])
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// String returns s with every credential removed.
func String(s string) string {
	if s == "" {
		return s
	}
	s = headerForm.ReplaceAllString(s, "${1}${2}"+Mask)
	s = replaceValue(s, jsonForm, isSecretName, false, 3)
	s = replaceValue(s, singleForm, isSecretName, false, 3)
	s = replaceValue(s, xmlForm, isSecretName, false, 2)
	s = replaceValue(s, quotedForm, isSecretName, true, 3, 4)
	s = replaceValue(s, assignForm, isSecretName, true, 3)
	s = replaceValue(s, colonForm, func(n string) bool {
		return colonNames[strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(n))]
	}, true, 3)
	s = jwt.ReplaceAllString(s, Mask)
	s = b64run.ReplaceAllStringFunc(s, func(run string) string {
		if secretShaped(run) {
			return Mask
		}
		return run
	})
	return s
}

// secretShaped: 40 base64 characters (a secret access key) or 100 and more
// (a session token), with upper and lower case letters and a digit, "/" or
// "+". The mask itself and access key IDs (upper case only) never qualify.
func secretShaped(run string) bool {
	core := strings.TrimRight(run, "=")
	if n := len(core); n != 40 && n < 100 {
		return false
	}
	// An absolute path (a leading "/" and another "/" further on) is the
	// user's own text, not a credential; a secret of that shape is rare
	// enough (under 1 in 100) that hiding every path would cost more.
	if strings.HasPrefix(core, "/") && strings.Contains(core[1:], "/") {
		return false
	}
	var upper, lower, other bool
	for i := 0; i < len(core); i++ {
		switch c := core[i]; {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		default:
			other = true
		}
	}
	return upper && lower && other
}

// Error returns err with its message redacted, or nil for nil. The result
// keeps errors.Is and errors.As working: they see err's chain. Note that an
// error found that way is the original one, whose own message is not
// redacted; print the returned error, not what errors.As extracts from it.
// An error that was already redacted is returned as it is.
func Error(err error) error {
	if err == nil {
		return nil
	}
	var r *redacted
	if errors.As(err, &r) && r == err {
		return err
	}
	msg := err.Error()
	red := String(msg)
	return &redacted{msg: red, err: err}
}

type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }
