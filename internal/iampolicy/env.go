package iampolicy

import (
	"strings"
)

// env is the per-request view used by matching and conditions.
type env struct {
	req     *Request
	missing []string
	track   bool // record absent keys in missing
}

// lookup returns the request context values for a condition key, matching
// the key name case-insensitively. Principal keys that AWS always sets
// (aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:PrincipalTag/*) fall back to Request.Principal
// when the context does not carry them.
func (e *env) lookup(key string) ([]string, bool) {
	ctx := e.req.Context
	if v, ok := ctx[key]; ok {
		return v, true
	}
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	if s, ok := principalKey(&e.req.Principal, key); ok {
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
	for _, m := range e.missing {
		if strings.EqualFold(m, key) {
			return
		}
	}
	e.missing = append(e.missing, key)
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
		for k, v := range p.Tags {
			if strings.EqualFold(k, tk) {
				return v, true
			}
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
