package iampolicy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// env is the per-request view used by matching and conditions.
type env struct {
	req     *Request
	missing []string
	track   bool // record absent keys in missing

	// Case-insensitive indexes, built on first use when a linear scan per
	// lookup would make evaluation quadratic (many condition keys against a
	// large context, many principal tags, many absent keys).
	ctxFold     map[string][]string
	tagFold     map[string]string
	missingFold map[string]bool
}

// indexFrom is the size from which the indexes above replace scans (below
// it a scan per lookup is cheaper than building an index per request).
const indexFrom = 32

// lookup returns the request context values for a condition key, matching
// the key name case-insensitively (an exact match first, then the smallest
// key that folds to the same name, so the answer does not depend on map
// order). Principal keys that AWS always sets (aws:username, aws:userid,
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
// aws:PrincipalTag/*) fall back to Request.Principal when the context does
// not carry them.
func (e *env) lookup(key string) ([]string, bool) {
	ctx := e.req.Context
	if v, ok := ctx[key]; ok {
		return v, true
	}
	if len(ctx) >= indexFrom {
		if e.ctxFold == nil {
			e.ctxFold = foldIndex(ctx)
		}
		if v, ok := e.ctxFold[foldKey(key)]; ok {
			return v, true
		}
	} else if k, ok := smallestFoldMatch(ctx, key); ok {
		return ctx[k], true
	}
	if s, ok := e.principalKey(key); ok {
		return []string{s}, true
	}
	return nil, false
}

// variable resolves a policy variable: it must have exactly one value.
func (e *env) variable(key string) (string, bool) {
	v, ok := e.lookup(key)
	if !ok || len(v) != 1 {
		return "", false
	}
	return v[0], true
}

func (e *env) noteMissing(key string) {
	if !e.track {
		return
	}
	if e.missingFold != nil {
		fk := foldKey(key)
		if !e.missingFold[fk] {
			e.missingFold[fk] = true
			e.missing = append(e.missing, key)
		}
		return
	}
	for _, m := range e.missing {
		if strings.EqualFold(m, key) {
			return
		}
	}
	e.missing = append(e.missing, key)
	if len(e.missing) >= indexFrom {
		e.missingFold = make(map[string]bool, 2*len(e.missing))
		for _, m := range e.missing {
			e.missingFold[foldKey(m)] = true
		}
	}
}

// principalKey is principalKey for the request's principal, with tag names
// matched through an index when there are many tags.
func (e *env) principalKey(key string) (string, bool) {
	p := &e.req.Principal
	const tagPrefix = "aws:PrincipalTag/"
	if len(p.Tags) >= indexFrom && len(key) > len(tagPrefix) && strings.EqualFold(key[:len(tagPrefix)], tagPrefix) && (p.ARN != "" || p.Type != "") {
		tk := key[len(tagPrefix):]
		if v, ok := p.Tags[tk]; ok {
			return v, true
		}
		if e.tagFold == nil {
			e.tagFold = foldIndex(p.Tags)
		}
		v, ok := e.tagFold[foldKey(tk)]
		return v, ok
	}
	return principalKey(p, key)
}

// foldIndex maps the case-folded form of each key to its value, keeping
// the value of the smallest of keys that fold alike.
func foldIndex[V any](m map[string]V) map[string]V {
	idx := make(map[string]V, len(m))
	from := make(map[string]string, len(m))
	for k, v := range m {
		fk := foldKey(k)
		if prev, dup := from[fk]; !dup || k < prev {
			from[fk] = k
			idx[fk] = v
		}
	}
	return idx
}

// smallestFoldMatch returns the smallest key of ctx equal to key under
// case folding.
func smallestFoldMatch(ctx map[string][]string, key string) (string, bool) {
	best, found := "", false
	for k := range ctx {
		if strings.EqualFold(k, key) && (!found || k < best) {
			best, found = k, true
		}
	}
	return best, found
}

// foldKey maps s to a canonical form under Unicode simple case folding, so
// that foldKey(a) == foldKey(b) exactly when strings.EqualFold(a, b): each
// rune becomes the smallest rune of its folding orbit.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'a' <= c && c <= 'z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s // no lower-case ASCII letter and nothing else to fold
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		b.WriteRune(min)
	}
	return b.String()
}

// principalKey derives the global principal condition keys from p.
func principalKey(p *Principal, key string) (string, bool) {
	if p.ARN == "" && p.Type == "" {
		return "", false
	}
	switch {
	case strings.EqualFold(key, "aws:username"):
		if p.Type == "user" {
			if p.Name != "" {
				return p.Name, true
			}
			if i := strings.LastIndexByte(p.ARN, '/'); i >= 0 {
				return p.ARN[i+1:], true
			}
		}
	case strings.EqualFold(key, "aws:userid"):
		if p.ID != "" {
			return p.ID, true
		}
		if p.Type == "root" && p.accountID() != "" {
			return p.accountID(), true
		}
	case strings.EqualFold(key, "aws:PrincipalArn"):
		if a := p.principalARN(); a != "" {
			return a, true
		}
	case strings.EqualFold(key, "aws:PrincipalAccount"):
		if a := p.accountID(); a != "" {
			return a, true
		}
	case strings.EqualFold(key, "aws:PrincipalType"):
		switch p.Type {
		case "user":
			return "User", true
		case "assumed-role", "role":
			return "AssumedRole", true
		case "root":
			return "Account", true
		case "federated":
			return "FederatedUser", true
		}
	case len(key) > len("aws:PrincipalTag/") && strings.EqualFold(key[:len("aws:PrincipalTag/")], "aws:PrincipalTag/"):
		tk := key[len("aws:PrincipalTag/"):]
		if v, ok := p.Tags[tk]; ok {
			return v, true
		}
		best, found := "", false
		for k := range p.Tags {
			if strings.EqualFold(k, tk) && (!found || k < best) {
				best, found = k, true
			}
		}
		if found {
			return p.Tags[best], true
		}
	}
	return "", false
}

// accountID is AccountID, or the account field of ARN.
func (p *Principal) accountID() string {
	if p.AccountID != "" {
		return p.AccountID
	}
	return arnAccount(p.ARN)
}

// principalARN is aws:PrincipalArn: the role ARN for role sessions.
func (p *Principal) principalARN() string {
	switch p.Type {
	case "assumed-role", "role":
		return p.roleARN()
	}
	return p.ARN
}

// roleARN returns RoleARN or derives arn:aws:iam::ACCT:role/NAME from an
// assumed-role session ARN (the role path is not part of a session ARN).
func (p *Principal) roleARN() string {
	if p.RoleARN != "" {
		return p.RoleARN
	}
	if p.Type == "role" {
		return p.ARN
	}
	// arn:PART:sts::ACCT:assumed-role/NAME/SESSION
	starts, n := arnFields(p.ARN)
	if n < 6 {
		return ""
	}
	res := p.ARN[starts[5]:]
	if !strings.HasPrefix(res, "assumed-role/") {
		return ""
	}
	name := strings.TrimPrefix(res, "assumed-role/")
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[:i]
	}
	partition := p.ARN[starts[1] : starts[2]-1]
	return "arn:" + partition + ":iam::" + p.ARN[starts[4]:starts[5]-1] + ":role/" + name
}

// arnAccount returns the account field of an ARN, or "".
func arnAccount(arn string) string {
	if !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	starts, n := arnFields(arn)
	if n < 6 {
		return ""
	}
	return arn[starts[4] : starts[5]-1]
}
