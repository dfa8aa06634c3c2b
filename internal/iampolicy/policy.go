// Package iampolicy implements the IAM policy language: it parses identity,
// boundary, trust and resource policies and decides a request the way AWS's
// documented evaluation logic does (explicit deny > allow > implicit deny).
//
// Scope: one request against the policies of one principal (identity
// policies, an optional permissions boundary) and optional resource-based
// policies such as a role trust policy. Session policies, AWS Organizations
// SCPs/RCPs, VPC endpoint policies and KMS grants are out of scope: callers
// that need them must treat a decision from this package as an upper bound.
package iampolicy

import (
	"fmt"
	"strconv"
)

// Policy language versions.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// ParseError reports a policy document that AWS would reject or that this
// package cannot interpret. Every field that is known is filled in.
type ParseError struct {
	Policy    string // policy name given to Parse
	Statement string // "#2" (1-based position) or the statement's Sid; "" for document-level errors
	Field     string // element, e.g. "Effect", "Condition.StringEquals.aws:username"
	Msg       string
}

func (e *ParseError) Error() string {
	s := "policy " + strconv.Quote(e.Policy)
	if e.Statement != "" {
		s += " statement " + e.Statement
	}
	if e.Field != "" {
		s += " field " + e.Field
	}
	return s + ": " + e.Msg
}

// Policy is a parsed policy document.
type Policy struct {
	Name       string
	Version    string // "2012-10-17", "2008-10-17" or "" when absent
	ID         string // the optional top-level Id element
	Statements []Statement
}

// Statement is one parsed statement. The exported fields mirror the document;
// the unexported ones are the patterns compiled at Parse time.
type Statement struct {
	Sid    string
	Effect string // "Allow" or "Deny"
	Index  int    // 1-based position in the Statement array (1 when Statement is a single object)

	Action      []string // as written; exactly one of Action/NotAction is set
	NotAction   []string
	Resource    []string // as written; both empty means the element was absent (trust policies)
	NotResource []string

	Principal    *PrincipalSpec // nil when absent
	NotPrincipal *PrincipalSpec

	Conditions []Condition

	actions     []glob
	notAction   bool
	resources   []resourcePattern
	notResource bool
	anyResource bool // neither Resource nor NotResource present
}

// Label is how errors and reasons name the statement: its Sid, or "#N".
func (s *Statement) Label() string {
	if s.Sid != "" {
		return s.Sid
	}
	return "#" + strconv.Itoa(s.Index)
}

// Label names a matched statement as Statement.Label does: its Sid, or
// "#N" by position.
func (m MatchedStatement) Label() string {
	if m.Sid != "" {
		return m.Sid
	}
	return "#" + strconv.Itoa(m.Index)
}

// PrincipalSpec is a parsed Principal or NotPrincipal element.
type PrincipalSpec struct {
	Wildcard      bool // "Principal": "*" (or {"AWS": "*"})
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Condition is one (operator, key) pair of a Condition block with its values.
type Condition struct {
	Operator  string   // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Qualifier string   // "", "ForAllValues" or "ForAnyValue"
	Base      string   // operator without qualifier and IfExists, e.g. "StringLike"
	IfExists  bool     // ...IfExists suffix
	Key       string   // condition key as written (matched case-insensitively)
	Values    []string // values as strings (JSON numbers and booleans in their text form)

	op       *opInfo
	compiled []condValue
	multi    bool // Key is a multivalued context key
}

// Principal is the identity making a request.
type Principal struct {
	ARN       string // user ARN, assumed-role session ARN, or root ARN
	AccountID string
	Type      string // "user", "role", "assumed-role", "root"; also "service", "federated" for resource-policy matching
	Name      string // user name, role name or service name
	ID        string // aws:userid, e.g. "AIDA..." or "AROA...:session"
	Tags      map[string]string
	// RoleARN is the role's ARN (with path) for "role" and "assumed-role"
	// principals; it is aws:PrincipalArn for role sessions. Optional: derived
	// from ARN when empty.
	RoleARN string
}

// Request is one authorization question.
type Request struct {
	Principal Principal
	Action    string // "service:Action"
	// Resource is the ARN the action is on, or "*" for actions without
	// resource-level permissions. "*" is literal: only Resource patterns that
	// match the text "*" (such as "*") cover it, as in AWS. To ask about a
	// specific resource, pass its ARN.
	Resource string
	// Context maps condition keys (names case-insensitive) to values.
	Context map[string][]string
}

// PolicyRef is a parsed policy together with where it comes from.
type PolicyRef struct {
	Kind   string // "user-inline","user-managed","group-inline","group-managed","role-inline","role-managed","boundary","trust","resource"
	Name   string
	ARN    string
	Policy *Policy
}

// PolicyRef.Kind values.
const (
	KindUserInline   = "user-inline"
	KindUserManaged  = "user-managed"
	KindGroupInline  = "group-inline"
	KindGroupManaged = "group-managed"
	KindRoleInline   = "role-inline"
	KindRoleManaged  = "role-managed"
	KindBoundary     = "boundary"
	KindTrust        = "trust"    // a role trust policy: it must allow sts:AssumeRole*
	KindResource     = "resource" // any other resource-based policy
	KindSCP          = "scp"      // an AWS Organizations service control policy
	KindRCP          = "rcp"      // an AWS Organizations resource control policy
)

// PolicySet is every policy that applies to one request.
type PolicySet struct {
	Identity []PolicyRef
	Boundary *PolicyRef
	Resource []PolicyRef // e.g. the role trust policy for sts:AssumeRole

	// SCPs are the service control policies over the principal's account,
	// one level per entry from the organization root through each OU down
	// to the account. RCPs are the resource control policies over the
	// resource's account, by level likewise. At every level some attached
	// policy must allow the request, and none may deny it. The caller leaves
	// them out where AWS does not apply them: SCPs for principals of the
	// management account and for service-linked roles, RCPs for resources
	// of the management account.
	SCPs []OrgLevel
	RCPs []OrgLevel
}

// OrgLevel is one level of an organization (its root, an OU or the
// account) with the organization policies attached there.
type OrgLevel struct {
	Target   string // "r-...", "ou-..." or the 12-digit account ID
	Policies []PolicyRef
}

// Effect is the outcome of an evaluation.
type Effect string

const (
	Allow        Effect = "Allow"
	ExplicitDeny Effect = "ExplicitDeny"
	ImplicitDeny Effect = "ImplicitDeny"
)

// Decision is the answer to a Request with its explanation.
type Decision struct {
	Effect  Effect
	Allowed bool
	Matched []MatchedStatement // statements that applied (allow and deny), in policy order
	Missing []string           // context keys that conditions needed but the request lacked
	Reason  string             // one human sentence
}

// MatchedStatement names one statement that applied to the request.
type MatchedStatement struct {
	Policy     string
	PolicyKind string
	Sid        string
	Index      int
	Effect     string
}

func (e *ParseError) withStatement(st *Statement) *ParseError {
	if e.Statement == "" && st != nil {
		e.Statement = st.Label()
	}
	return e
}

func errf(field, format string, args ...any) *ParseError {
	return &ParseError{Field: field, Msg: fmt.Sprintf(format, args...)}
}
