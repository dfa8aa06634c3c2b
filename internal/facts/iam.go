package facts

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Policy is a managed policy with its default version decoded.
type Policy struct {
	ARN              string `json:"arn"`
	Name             string `json:"name"`
	Path             string `json:"path"`
	AWSManaged       bool   `json:"aws_managed"` // arn:<partition>:iam::aws:policy/...
	DefaultVersionID string `json:"default_version_id"`
	AttachmentCount  int32  `json:"attachment_count"`
	// Document is the default version's document; null when it is missing
	// or malformed, with the reason in DocumentError.
	Document      any    `json:"document"`
	DocumentError string `json:"document_error,omitempty"`
}

// InlinePolicy is an embedded policy with its decoded document.
type InlinePolicy struct {
	Name          string `json:"name"`
	Document      any    `json:"document"`
	DocumentError string `json:"document_error,omitempty"`
}

// User is an IAM user joined with its groups and policies.
type User struct {
	ARN        string `json:"arn"`
	Name       string `json:"name"`
	ID         string `json:"id"`
	Path       string `json:"path"`
	CreateDate string `json:"create_date"`
	// Groups are the ARNs of the user's groups found in the snapshot;
	// UnknownGroups names groups the snapshot does not describe.
	Groups              []string       `json:"groups"`
	GroupNames          []string       `json:"group_names"`
	UnknownGroups       []string       `json:"unknown_groups"`
	AttachedPolicies    []string       `json:"attached_policies"` // managed policy ARNs attached to the user
	InlinePolicies      []InlinePolicy `json:"inline_policies"`
	PermissionsBoundary *string        `json:"permissions_boundary"` // policy ARN
	// ManagedPolicies are all managed policy ARNs that apply to the user,
	// directly or through groups (sorted, unique).
	ManagedPolicies []string          `json:"managed_policies"`
	Tags            map[string]string `json:"tags"`
}

// Group is an IAM group with its members.
type Group struct {
	ARN              string         `json:"arn"`
	Name             string         `json:"name"`
	ID               string         `json:"id"`
	Path             string         `json:"path"`
	CreateDate       string         `json:"create_date"`
	Members          []string       `json:"members"` // user ARNs
	AttachedPolicies []string       `json:"attached_policies"`
	InlinePolicies   []InlinePolicy `json:"inline_policies"`
}

// Role is an IAM role.
type Role struct {
	ARN                 string            `json:"arn"`
	Name                string            `json:"name"`
	ID                  string            `json:"id"`
	Path                string            `json:"path"`
	CreateDate          string            `json:"create_date"`
	Description         string            `json:"description"`
	MaxSessionDuration  *int32            `json:"max_session_duration"` // seconds; null when not reported
	TrustPolicy         any               `json:"trust_policy"`
	TrustPolicyError    string            `json:"trust_policy_error,omitempty"`
	AttachedPolicies    []string          `json:"attached_policies"`
	InlinePolicies      []InlinePolicy    `json:"inline_policies"`
	PermissionsBoundary *string           `json:"permissions_boundary"`
	ServiceLinked       bool              `json:"service_linked"` // path /aws-service-role/
	LastUsedDate        *string           `json:"last_used_date"`
	LastUsedRegion      string            `json:"last_used_region"`
	InstanceProfiles    []string          `json:"instance_profiles"`
	Tags                map[string]string `json:"tags"`
}

func (f *Facts) buildIAM(snap *snapshot.Snapshot) {
	for i := range snap.Policies {
		p := &snap.Policies[i]
		fp := &Policy{
			ARN: p.ARN, Name: p.Name, Path: p.Path, DefaultVersionID: p.DefaultVersionID,
			AttachmentCount: p.AttachmentCount,
			AWSManaged:      strings.Contains(p.ARN, ":iam::aws:policy/"),
		}
		if doc := p.DefaultDocument(); doc == nil {
			fp.DocumentError = fmt.Sprintf("policy %s: default version %q is not in the snapshot", p.ARN, p.DefaultVersionID)
		} else if d, err := decodeDocument(doc); err != nil {
			fp.DocumentError = fmt.Sprintf("policy %s version %s: %v", p.ARN, p.DefaultVersionID, err)
		} else {
			fp.Document = d
		}
		f.Policies[p.ARN] = fp
	}

	groupByName := make(map[string]*Group, len(snap.Groups))
	for i := range snap.Groups {
		g := &snap.Groups[i]
		fg := &Group{
			ARN: g.ARN, Name: g.Name, ID: g.ID, Path: g.Path, CreateDate: rfc3339(g.CreateDate),
			Members:          []string{},
			AttachedPolicies: attachedARNs(g.AttachedPolicies),
			InlinePolicies:   inline("group "+g.ARN, g.InlinePolicies),
		}
		f.Groups[g.ARN] = fg
		groupByName[g.Name] = fg
	}

	for i := range snap.Users {
		u := &snap.Users[i]
		fu := &User{
			ARN: u.ARN, Name: u.Name, ID: u.ID, Path: u.Path, CreateDate: rfc3339(u.CreateDate),
			Groups: []string{}, GroupNames: []string{}, UnknownGroups: []string{},
			AttachedPolicies: attachedARNs(u.AttachedPolicies),
			InlinePolicies:   inline("user "+u.ARN, u.InlinePolicies),
			Tags:             tags(u.Tags),
		}
		if u.PermissionsBoundary != nil && u.PermissionsBoundary.ARN != "" {
			fu.PermissionsBoundary = strPtr(u.PermissionsBoundary.ARN)
		}
		managed := map[string]bool{}
		for _, a := range fu.AttachedPolicies {
			managed[a] = true
		}
		for _, name := range u.Groups {
			fu.GroupNames = append(fu.GroupNames, name)
			g, ok := groupByName[name]
			if !ok {
				fu.UnknownGroups = append(fu.UnknownGroups, name)
				continue
			}
			fu.Groups = append(fu.Groups, g.ARN)
			g.Members = append(g.Members, u.ARN)
			for _, a := range g.AttachedPolicies {
				managed[a] = true
			}
		}
		sort.Strings(fu.Groups)
		sort.Strings(fu.GroupNames)
		fu.ManagedPolicies = sortedKeys(managed)
		f.Users[u.ARN] = fu
	}
	for _, g := range f.Groups {
		sort.Strings(g.Members)
	}

	for i := range snap.Roles {
		r := &snap.Roles[i]
		fr := &Role{
			ARN: r.ARN, Name: r.Name, ID: r.ID, Path: r.Path, CreateDate: rfc3339(r.CreateDate),
			Description:        r.Description,
			MaxSessionDuration: r.MaxSessionDuration,
			AttachedPolicies:   attachedARNs(r.AttachedPolicies),
			InlinePolicies:     inline("role "+r.ARN, r.InlinePolicies),
			ServiceLinked:      strings.HasPrefix(r.Path, "/aws-service-role/"),
			InstanceProfiles:   append([]string{}, r.InstanceProfiles...),
			Tags:               tags(r.Tags),
		}
		if len(r.AssumeRolePolicyDocument) > 0 {
			if d, err := decodeDocument(r.AssumeRolePolicyDocument); err != nil {
				fr.TrustPolicyError = fmt.Sprintf("role %s trust policy: %v", r.ARN, err)
			} else {
				fr.TrustPolicy = d
			}
		}
		if r.PermissionsBoundary != nil && r.PermissionsBoundary.ARN != "" {
			fr.PermissionsBoundary = strPtr(r.PermissionsBoundary.ARN)
		}
		if r.RoleLastUsed != nil {
			if r.RoleLastUsed.LastUsedDate != nil {
				fr.LastUsedDate = strPtr(rfc3339(*r.RoleLastUsed.LastUsedDate))
			}
			fr.LastUsedRegion = r.RoleLastUsed.Region
		}
		sort.Strings(fr.InstanceProfiles)
		f.Roles[r.ARN] = fr
	}
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func attachedARNs(in []snapshot.AttachedPolicy) []string {
	out := make([]string, 0, len(in))
	for _, p := range in {
		out = append(out, p.ARN)
	}
	sort.Strings(out)
	return out
}

func inline(owner string, in []snapshot.InlinePolicy) []InlinePolicy {
	out := make([]InlinePolicy, 0, len(in))
	for _, p := range in {
		ip := InlinePolicy{Name: p.Name}
		if d, err := decodeDocument(p.Document); err != nil {
			ip.DocumentError = fmt.Sprintf("%s inline policy %q: %v", owner, p.Name, err)
		} else {
			ip.Document = d
		}
		out = append(out, ip)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func tags(in []snapshot.Tag) map[string]string {
	out := make(map[string]string, len(in))
	for _, t := range in {
		out[t.Key] = t.Value
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
