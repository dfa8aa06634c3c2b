package access

// The verdict types and the fan-out over every role, group and user.

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Grant is one allowed request and the statement that allowed it.
type Grant struct {
	Context   ContextName `json:"context"`
	Action    string      `json:"action"`
	Resource  string      `json:"resource"`
	Policy    string      `json:"policy"`
	PolicyARN string      `json:"policy_arn,omitempty"`
	Kind      PolicyKind  `json:"policy_kind"`
	Statement string      `json:"statement"`
	// Group is the group that carries the policy, for group policies.
	Group string `json:"group,omitempty"`
}

// UserAccess is what the policy engine says about one IAM user.
type UserAccess struct {
	ARN  string `json:"arn"`
	Name string `json:"name"`
	// WithoutMFA lists actions outside self-service allowed under access_key
	// or session_no_mfa (one grant per context and action).
	WithoutMFA []Grant `json:"without_mfa"`
	// OtherUsers lists credential actions allowed on another user's ARN.
	OtherUsers []Grant `json:"other_users"`
	// Admin lists administrator-equivalent actions allowed directly (under
	// any context); AdminWithoutMFA the subset allowed with access keys alone.
	Admin           []Grant `json:"admin"`
	AdminWithoutMFA bool    `json:"admin_without_mfa"`
	// MFAEnforced: the user's policies explicitly deny non-IAM requests
	// without MFA, so no present or future grant works without it.
	MFAEnforced   bool   `json:"mfa_enforced"`
	MFAEnforcedBy string `json:"mfa_enforced_by,omitempty"`
	MFAGap        string `json:"mfa_gap,omitempty"` // a request without MFA that is not denied
	// MFAGroups are the user's groups that carry the MFA requirement.
	MFAGroups []string `json:"mfa_groups"`
	// AssumeAdmin sums up identity-side sts:AssumeRole allows on admin roles.
	AssumeAdmin AssumeSummary `json:"assume_admin"`
}

// GroupAccess is what a member of only this group could do.
type GroupAccess struct {
	ARN         string        `json:"arn"`
	Name        string        `json:"name"`
	RequiresMFA bool          `json:"requires_mfa"`
	Admin       []Grant       `json:"admin"`
	AssumeAdmin AssumeSummary `json:"assume_admin"`
	PolicyCount int           `json:"policy_count"`
	MFAEvidence string        `json:"mfa_evidence,omitempty"`
}

// AssumeSummary is how a principal's identity policies treat sts:AssumeRole
// on the account's administrator-equivalent roles.
type AssumeSummary struct {
	// Roles counts the admin roles the identity policies let it assume at all.
	Roles int `json:"roles"`
	// LoopholeCount counts those also assumable in a request that must be
	// refused; Loopholes groups them all into classes of roles treated alike.
	LoopholeCount int           `json:"loophole_count"`
	Loopholes     []AssumeClass `json:"loopholes"`
}

// AssumeClass is a class of admin roles on which an identity-side
// sts:AssumeRole allow behaves alike in the requests that must be refused:
// the same loopholes, allowed by the same statement. A class of one role is
// named by that role; a larger one by an AdminRoleSet, listed once in
// Analysis.AdminRoleSets however many principals share it.
type AssumeClass struct {
	// Role is the class's first admin role (in the account's order).
	Role string `json:"role"`
	// RoleCount is the number of roles in the class.
	RoleCount int `json:"role_count"`
	// RoleSet is the ID of the class's roles in Analysis.AdminRoleSets when
	// it has more than one role, "" otherwise.
	RoleSet string `json:"role_set"`
	// Allowed is the grant under a proper MFA session over TLS, on Role
	// (nil: not allowed at all); every role of the class is allowed by the
	// same statement.
	Allowed *Grant `json:"allowed,omitempty"`
	// Loopholes lists the bad requests it also allows: "no_mfa" (access
	// keys or a session without MFA), "no_tls", "stale_mfa" (MFA older than 3600 s).
	Loopholes []Loophole `json:"loopholes"`

	roles []string // the class's roles, when RoleSet is set
}

// AdminRoleSet is a set of admin roles that some principals' identity
// policies treat alike (an AssumeClass of more than one role).
type AdminRoleSet struct {
	ID    string   `json:"id"`
	Roles []string `json:"roles"`
	// Principals are the users and groups with a class of this set.
	Principals []string `json:"principals"`
}

// RoleAccess describes a role: whether it is administrator-equivalent and
// whom its trust policy admits.
type RoleAccess struct {
	ARN           string  `json:"arn"`
	Name          string  `json:"name"`
	Admin         bool    `json:"admin"`
	AdminEvidence []Grant `json:"admin_evidence"`
	// MaxSessionDuration is the role's, in seconds; null when the snapshot
	// does not say (never a default: a check must not pass on missing data).
	MaxSessionDuration *int32 `json:"max_session_duration"`
	Trust              Trust  `json:"trust"`
}

// Trust summarises a role trust policy's Allow statements for sts:AssumeRole.
type Trust struct {
	Present bool `json:"present"`
	// Outsiders are principals outside the account: "*", other accounts,
	// services, federated providers.
	Outsiders []string `json:"outsiders"`
	// WithoutMFA names the Allow statements that admit a same-account
	// principal without MFA.
	WithoutMFA []string `json:"without_mfa"`
}

// Analysis is the policy engine's verdicts on every user, group and role.
type Analysis struct {
	Users  map[string]*UserAccess  `json:"users"`
	Groups map[string]*GroupAccess `json:"groups"`
	Roles  map[string]*RoleAccess  `json:"roles"`
	// AdminRoleSets are the classes of admin roles named by AssumeClass.RoleSet, by ID.
	AdminRoleSets map[string]*AdminRoleSet `json:"admin_role_sets"`
}

// RolesOf lists the admin roles of a class.
func (an *Analysis) RolesOf(c AssumeClass) []string {
	if c.RoleSet == "" {
		return []string{c.Role}
	}
	if s := an.AdminRoleSets[c.RoleSet]; s != nil {
		return s.Roles
	}
	return nil
}

// collectRoleSets lists once every role set the classes name, with the
// principals that name it.
func (an *Analysis) collectRoleSets() {
	an.AdminRoleSets = map[string]*AdminRoleSet{}
	add := func(arn string, sum AssumeSummary) {
		for _, c := range sum.Loopholes {
			if c.RoleSet == "" {
				continue
			}
			s := an.AdminRoleSets[c.RoleSet]
			if s == nil {
				s = &AdminRoleSet{ID: c.RoleSet, Roles: c.roles}
				an.AdminRoleSets[c.RoleSet] = s
			}
			if n := len(s.Principals); n == 0 || s.Principals[n-1] != arn {
				s.Principals = append(s.Principals, arn)
			}
		}
	}
	for _, arn := range sortedKeys(an.Groups) {
		add(arn, an.Groups[arn].AssumeAdmin)
	}
	for _, arn := range sortedKeys(an.Users) {
		add(arn, an.Users[arn].AssumeAdmin)
	}
	for _, s := range an.AdminRoleSets {
		sort.Strings(s.Principals)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// AnalyzeOptions fixes what "now" is for the request contexts
// (aws:CurrentTime, aws:EpochTime): the snapshot's time, for determinism.
type AnalyzeOptions struct {
	Now time.Time
}

// Analyze asks the policy engine the guide's questions about every
// principal. It is deterministic for a snapshot.
func (a *Account) Analyze(opts AnalyzeOptions) *Analysis {
	z := &analyzer{a: a, opts: opts, setIDs: map[string]int{}}
	z.indexPolicies()
	out := &Analysis{Users: map[string]*UserAccess{}, Groups: map[string]*GroupAccess{}, Roles: map[string]*RoleAccess{}}

	adminRoles := []string{}
	// Principals whose policies are not completely known are left out:
	// their verdicts would rest on a partial picture (see Account.Unknown).
	for _, r := range a.Roles() {
		if a.unknown[r.ARN] != "" {
			continue
		}
		ra := z.role(r)
		out.Roles[r.ARN] = ra
		if ra.Admin {
			adminRoles = append(adminRoles, r.ARN)
		}
	}
	for _, g := range a.groupNames() {
		if a.unknown[a.groupARN[g]] != "" {
			continue
		}
		out.Groups[a.groupARN[g]] = z.group(g, adminRoles)
	}
	var users []*Subject
	for _, u := range a.Users() {
		if a.unknown[u.ARN] == "" {
			users = append(users, u)
		}
	}
	// Users with the same policies are analysed one after the other, and a
	// policy set's probes are dropped once its last user is done: the probe
	// cache holds only the sets in flight.
	order := make([]int, len(users))
	remaining := map[int]*atomic.Int32{}
	for i, u := range users {
		order[i] = i
		pid := z.policyKey(u)
		if remaining[pid] == nil {
			remaining[pid] = &atomic.Int32{}
		}
		remaining[pid].Add(1)
	}
	sort.SliceStable(order, func(i, j int) bool { return users[order[i]].pid < users[order[j]].pid })
	results := make([]*UserAccess, len(users))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, i := range order {
		u := users[i]
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, u *Subject) {
			defer func() { <-sem; wg.Done() }()
			results[i] = z.user(u, adminRoles, out.Groups)
			if remaining[u.pid].Add(-1) == 0 {
				z.probes.Delete(u.pid)
			}
		}(i, u)
	}
	wg.Wait()
	for i, u := range users {
		out.Users[u.ARN] = results[i]
	}
	out.collectRoleSets()
	return out
}
