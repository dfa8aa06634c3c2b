package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// iamDecide lets a check ask the IAM policy engine what IAM would decide:
//
//	lockdown.iam.decide(principal, action, resource, context)
//
// principal is a user or role ARN (or name) of the audited account, or an
// object {"arn", "type", "name", "id", "account_id", "tags", "policies":
// [documents], "boundary": document, "resource_policies": [documents]} for
// a principal described in full (Rego tests). context is a named context
// ("access_key", "session_no_mfa", "mfa_session", "none") or an object of
// condition keys. Named contexts carry the snapshot's collection time as
// aws:CurrentTime and aws:EpochTime, as the Go analysis does (none in a
// Rego test, which has no snapshot). The result is {"decision", "allowed",
// "reason", "matched": [{policy, kind, sid, index, effect}], "missing":
// [keys]}. checks/README.md documents this contract for check authors.
var iamDecide = &ast.Builtin{
	Name:             "lockdown.iam.decide",
	Description:      "What IAM would decide for a principal, action, resource and request context, and why.",
	Decl:             types.NewFunction(types.Args(types.A, types.S, types.S, types.A), types.A),
	Nondeterministic: false,
}

type evaluationKey struct{}

// evaluation is what the built-in knows of the audit being evaluated.
type evaluation struct {
	account *access.Account
	now     time.Time // the snapshot's collection time; zero in Rego tests
}

// withEvaluation makes the audited account's principals and the snapshot's
// collection time available to the built-in for one evaluation.
func withEvaluation(ctx context.Context, a *access.Account, now time.Time) context.Context {
	return context.WithValue(ctx, evaluationKey{}, &evaluation{account: a, now: now})
}

func evaluationOf(ctx context.Context) *evaluation {
	if ev, ok := ctx.Value(evaluationKey{}).(*evaluation); ok {
		return ev
	}
	return &evaluation{}
}

// iamDecideFunc registers the built-in's implementation on a query. An
// error is an evaluation error (the queries use strict built-in errors).
func iamDecideFunc(r *rego.Rego) { iamDecideRegistration(false)(r) }

// iamDecideHalting registers the built-in so that an error halts the
// evaluation at once with that error: a Rego test that calls it wrongly is
// an ERROR naming the call, as the audit would be.
func iamDecideHalting(r *rego.Rego) { iamDecideRegistration(true)(r) }

func iamDecideRegistration(halt bool) func(*rego.Rego) {
	return rego.Function4(&rego.Function{Name: iamDecide.Name, Decl: iamDecide.Decl, Memoize: true},
		func(bctx rego.BuiltinContext, p, act, res, c *ast.Term) (*ast.Term, error) {
			t, err := iamDecideImpl(bctx, p, act, res, c)
			if err != nil && halt {
				return nil, rego.NewHaltError(err)
			}
			return t, err
		})
}

func iamDecideImpl(bctx rego.BuiltinContext, p, act, res, c *ast.Term) (*ast.Term, error) {
	action, ok := act.Value.(ast.String)
	if !ok {
		return nil, fmt.Errorf("action must be a string")
	}
	resource, ok := res.Value.(ast.String)
	if !ok {
		return nil, fmt.Errorf("resource must be a string")
	}
	d, err := decide(bctx.Context, p.Value, string(action), string(resource), c.Value)
	if err != nil {
		return nil, err // OPA prefixes the built-in's name and the call's location
	}
	v, err := ast.InterfaceToValue(decisionJSON(d))
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(v), nil
}

func decide(ctx context.Context, p ast.Value, action, resource string, c ast.Value) (iampolicy.Decision, error) {
	var (
		principal iampolicy.Principal
		eval      func(req iampolicy.Request) iampolicy.Decision
	)
	ev := evaluationOf(ctx)
	switch pv := p.(type) {
	case ast.String:
		acct := ev.account
		if acct == nil {
			return iampolicy.Decision{}, fmt.Errorf("principal %q: no account is being audited (pass a principal object)", string(pv))
		}
		subj, err := acct.Lookup(string(pv))
		if err != nil {
			return iampolicy.Decision{}, err
		}
		principal = subj.Principal
		eval = func(req iampolicy.Request) iampolicy.Decision {
			return acct.Decide(subj, req.Action, req.Resource, req.Context)
		}
	case ast.Object:
		var desc principalDesc
		if err := ast.As(pv, &desc); err != nil {
			return iampolicy.Decision{}, fmt.Errorf("principal object: %w", err)
		}
		set, err := desc.policySet()
		if err != nil {
			return iampolicy.Decision{}, err
		}
		principal = iampolicy.Principal{ARN: desc.ARN, Type: desc.Type, Name: desc.Name, ID: desc.ID,
			AccountID: desc.AccountID, Tags: desc.Tags}
		if principal.Type == "role" {
			principal.RoleARN = desc.ARN
		}
		eval = func(req iampolicy.Request) iampolicy.Decision { return iampolicy.Evaluate(set, req) }
	default:
		return iampolicy.Decision{}, fmt.Errorf("principal must be an ARN, a name or an object")
	}
	reqCtx, err := requestContext(c, principal, ev.now)
	if err != nil {
		return iampolicy.Decision{}, err
	}
	return eval(iampolicy.Request{Principal: principal, Action: action, Resource: resource, Context: reqCtx}), nil
}

type principalDesc struct {
	ARN              string            `json:"arn"`
	Type             string            `json:"type"`
	Name             string            `json:"name"`
	ID               string            `json:"id"`
	AccountID        string            `json:"account_id"`
	Tags             map[string]string `json:"tags"`
	Policies         []json.RawMessage `json:"policies"`
	Boundary         json.RawMessage   `json:"boundary"`
	ResourcePolicies []json.RawMessage `json:"resource_policies"`
}

func (d *principalDesc) policySet() (iampolicy.PolicySet, error) {
	var set iampolicy.PolicySet
	for i, doc := range d.Policies {
		name := fmt.Sprintf("policies[%d]", i)
		p, err := iampolicy.Parse(name, doc)
		if err != nil {
			return set, err
		}
		set.Identity = append(set.Identity, iampolicy.PolicyRef{Kind: "user-inline", Name: name, Policy: p})
	}
	if len(d.Boundary) > 0 && string(d.Boundary) != "null" {
		p, err := iampolicy.Parse("boundary", d.Boundary)
		if err != nil {
			return set, err
		}
		set.Boundary = &iampolicy.PolicyRef{Kind: "boundary", Name: "boundary", Policy: p}
	}
	for i, doc := range d.ResourcePolicies {
		name := fmt.Sprintf("resource_policies[%d]", i)
		p, err := iampolicy.Parse(name, doc)
		if err != nil {
			return set, err
		}
		set.Resource = append(set.Resource, iampolicy.PolicyRef{Kind: "resource", Name: name, Policy: p})
	}
	return set, nil
}

// requestContext turns the context argument into condition keys.
// A named context is built as the Go analysis builds it, at the snapshot's
// collection time now.
func requestContext(c ast.Value, p iampolicy.Principal, now time.Time) (map[string][]string, error) {
	switch cv := c.(type) {
	case ast.String:
		if string(cv) == "none" {
			return map[string][]string{}, nil
		}
		return iampolicy.NamedContext(string(cv), p, iampolicy.ContextOptions{CurrentTime: now})
	case ast.Object:
		var raw map[string]any
		if err := ast.As(cv, &raw); err != nil {
			return nil, err
		}
		out := make(map[string][]string, len(raw))
		for k, v := range raw {
			switch vv := v.(type) {
			case []any:
				for _, x := range vv {
					out[k] = append(out[k], fmt.Sprint(x))
				}
			default:
				out[k] = []string{fmt.Sprint(vv)}
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("context must be a context name or an object of condition keys")
}

func decisionJSON(d iampolicy.Decision) map[string]any {
	matched := make([]any, 0, len(d.Matched))
	for _, m := range d.Matched {
		matched = append(matched, map[string]any{
			"policy": m.Policy, "kind": m.PolicyKind, "sid": m.Sid, "index": m.Index, "effect": m.Effect,
		})
	}
	missing := append([]string{}, d.Missing...)
	sort.Strings(missing)
	return map[string]any{
		"decision": string(d.Effect), "allowed": d.Allowed, "reason": d.Reason,
		"matched": matched, "missing": missing,
	}
}
