package access

import "github.com/lockdown-dev/lockdown/internal/iampolicy"

// PolicyKind is how a policy applies to a principal; decisions and grants
// report it (the "policy_kind" of a grant).
type PolicyKind string

// The policy kinds, as iampolicy.PolicyRef.Kind and MatchedStatement.PolicyKind spell them.
const (
	KindUserInline   PolicyKind = "user-inline"
	KindUserManaged  PolicyKind = "user-managed"
	KindGroupInline  PolicyKind = "group-inline"
	KindGroupManaged PolicyKind = "group-managed"
	KindRoleInline   PolicyKind = "role-inline"
	KindRoleManaged  PolicyKind = "role-managed"
	KindBoundary     PolicyKind = "boundary"
	KindTrust        PolicyKind = "trust"
)

// viaGroup: the policy reaches a user through one of its groups.
func (k PolicyKind) viaGroup() bool { return k == KindGroupInline || k == KindGroupManaged }

// Effect is a statement's Effect.
type Effect string

// The two effects a statement can have.
const (
	EffectAllow Effect = "Allow"
	EffectDeny  Effect = "Deny"
)

// ContextName names a request context the questions are asked in (the
// "context" of a grant).
type ContextName string

// The named request contexts of iampolicy.NamedContext.
const (
	ContextAccessKey    ContextName = iampolicy.ContextAccessKey
	ContextSessionNoMFA ContextName = iampolicy.ContextSessionNoMFA
	ContextMFASession   ContextName = iampolicy.ContextMFASession
)

var (
	// contextsWithoutMFA are the requests the guide's MFA requirement must refuse.
	contextsWithoutMFA = []ContextName{ContextAccessKey, ContextSessionNoMFA}
	// allContexts is every named context, without MFA first.
	allContexts = []ContextName{ContextAccessKey, ContextSessionNoMFA, ContextMFASession}
)

// Loophole names a request an identity-side sts:AssumeRole allow on an
// admin role must refuse but does not.
type Loophole string

// The loopholes, and the decision-cache tags of the two request contexts
// that are variants of an MFA session.
const (
	LoopholeNoMFA    Loophole = "no_mfa"    // access keys or a session without MFA
	LoopholeNoTLS    Loophole = "no_tls"    // an MFA session over plain HTTP
	LoopholeStaleMFA Loophole = "stale_mfa" // an MFA session older than maxMFAAge

	tagNoTLS    ContextName = "no_tls"
	tagStaleMFA ContextName = "stale_mfa"
)

// maxMFAAge (seconds): an MFA session older than this must not assume an admin role.
const maxMFAAge = 3600

// maxWildcardList: a wildcard Action expands to at most this many probes.
const maxWildcardList = 64
