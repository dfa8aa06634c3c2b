package iampolicy

import (
	"fmt"
	"strconv"
	"time"
)

// Named request contexts used by checks. They model how AWS fills the
// request context for each kind of credential
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent):
//
//   - "access_key": long-term access keys. AWS sends neither
//     aws:MultiFactorAuthPresent nor aws:MultiFactorAuthAge.
//   - "session_no_mfa": temporary credentials obtained without MFA:
//     aws:MultiFactorAuthPresent=false and no aws:MultiFactorAuthAge.
//   - "mfa_session": temporary credentials obtained with MFA:
//     aws:MultiFactorAuthPresent=true, aws:MultiFactorAuthAge=N.
const (
	ContextAccessKey    = "access_key"
	ContextSessionNoMFA = "session_no_mfa"
	ContextMFASession   = "mfa_session"
)

// ContextNames lists the named contexts in a stable order.
var ContextNames = []string{ContextAccessKey, ContextSessionNoMFA, ContextMFASession}

// DefaultMFAAgeSeconds is aws:MultiFactorAuthAge in "mfa_session" when
// ContextOptions.MFAAgeSeconds is zero.
const DefaultMFAAgeSeconds = 300

// ContextOptions tunes a named context.
type ContextOptions struct {
	MFAAgeSeconds int       // mfa_session only; 0 means DefaultMFAAgeSeconds
	SourceIP      string    // aws:SourceIp, omitted when empty
	CurrentTime   time.Time // aws:CurrentTime/aws:EpochTime; omitted when zero (pass the snapshot time for determinism)
	// SecureTransport sets aws:SecureTransport; nil means true (API calls over TLS).
	SecureTransport *bool
}

// NamedContext builds the request context for one of the named contexts,
// including the principal keys AWS always sends (aws:username for IAM users,
// aws:userid, aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
// aws:PrincipalTag/*), aws:SecureTransport, aws:ViaAWSService=false and
// aws:PrincipalIsAWSService=false.
func NamedContext(name string, p Principal, opts ContextOptions) (map[string][]string, error) {
	switch name {
	case ContextAccessKey, ContextSessionNoMFA, ContextMFASession:
	default:
		return nil, fmt.Errorf("iampolicy: unknown named context %q (expected access_key, session_no_mfa or mfa_session)", name)
	}
	if opts.MFAAgeSeconds < 0 {
		return nil, fmt.Errorf("iampolicy: named context %q: negative MFAAgeSeconds %d", name, opts.MFAAgeSeconds)
	}
	ctx := map[string][]string{}
	set := func(k, v string) { ctx[k] = []string{v} }
	for _, k := range []string{"aws:username", "aws:userid", "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType"} {
		if v, ok := principalKey(&p, k); ok {
			set(k, v)
		}
	}
	for k, v := range p.Tags {
		set("aws:PrincipalTag/"+k, v)
	}
	secure := true
	if opts.SecureTransport != nil {
		secure = *opts.SecureTransport
	}
	set("aws:SecureTransport", strconv.FormatBool(secure))
	// The principal calls AWS directly, not through a service acting for it;
	// AWS includes this key in the request context for most services.
	set("aws:ViaAWSService", "false")
	// Present in every request signed with AWS credentials; false because
	// the caller is an IAM principal, not a service principal.
	set("aws:PrincipalIsAWSService", "false")
	if opts.SourceIP != "" {
		set("aws:SourceIp", opts.SourceIP)
	}
	now := opts.CurrentTime.UTC()
	if !opts.CurrentTime.IsZero() {
		set("aws:CurrentTime", now.Format(time.RFC3339))
		set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	}
	switch name {
	case ContextSessionNoMFA:
		set("aws:MultiFactorAuthPresent", "false")
		if !opts.CurrentTime.IsZero() {
			set("aws:TokenIssueTime", now.Format(time.RFC3339))
		}
	case ContextMFASession:
		age := opts.MFAAgeSeconds
		if age == 0 {
			age = DefaultMFAAgeSeconds
		}
		set("aws:MultiFactorAuthPresent", "true")
		set("aws:MultiFactorAuthAge", strconv.Itoa(age))
		if !opts.CurrentTime.IsZero() {
			set("aws:TokenIssueTime", now.Add(-time.Duration(age)*time.Second).Format(time.RFC3339))
		}
	}
	return ctx, nil
}

// EvaluateInContext evaluates req under a named context: the context is
// built for req.Principal with opts, and keys in req.Context are added on top
// (replacing a named key with the same name, compared case-insensitively).
func EvaluateInContext(set PolicySet, req Request, contextName string, opts ContextOptions) (Decision, error) {
	ctx, err := NamedContext(contextName, req.Principal, opts)
	if err != nil {
		return Decision{}, err
	}
	byFold := make(map[string][]string, len(ctx))
	for k := range ctx {
		fk := foldKey(k)
		byFold[fk] = append(byFold[fk], k)
	}
	for k, v := range req.Context {
		fk := foldKey(k)
		for _, nk := range byFold[fk] {
			delete(ctx, nk)
		}
		ctx[k] = v
		byFold[fk] = []string{k}
	}
	req.Context = ctx
	return Evaluate(set, req), nil
}
