package diff

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Change kinds of a drift item.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Drift types, in the order the diff lists them.
const (
	TypeUser            = "user"
	TypeGroup           = "group"
	TypeRole            = "role"
	TypePolicy          = "policy"
	TypeInlinePolicy    = "inline-policy"
	TypeAttachment      = "attachment"
	TypeGroupMembership = "group-membership"
	TypeTrustPolicy     = "trust-policy"
	TypeAccessKey       = "access-key"
	TypeMFADevice       = "mfa-device"
	TypePasswordPolicy  = "password-policy"
)

var typeOrder = []string{TypeUser, TypeGroup, TypeRole, TypePolicy, TypeInlinePolicy, TypeAttachment,
	TypeGroupMembership, TypeTrustPolicy, TypeAccessKey, TypeMFADevice, TypePasswordPolicy}

// Drift is one IAM change between two snapshots.
type Drift struct {
	Change string `json:"change"`
	Type   string `json:"type"`
	ARN    string `json:"arn"`
	Detail string `json:"detail"`
	// Statements are the statement-level changes of a changed policy or
	// trust document.
	Statements []StatementChange `json:"statements,omitempty"`
}

// ComputeDrift lists the IAM changes from old to new. Parts whose source
// was not collected completely in either snapshot are not compared; they
// are named in the second return value instead.
func ComputeDrift(old, cur *snapshot.Snapshot) ([]Drift, []string) {
	d := &drifter{}
	var notCompared []string
	both := func(source string) bool {
		if old.OK(source) && cur.OK(source) {
			return true
		}
		notCompared = append(notCompared, fmt.Sprintf("%s: %s", source, sourceState(old, cur, source)))
		return false
	}
	if both(snapshot.SourceAuthorizationDetails) {
		d.users(old.Users, cur.Users)
		d.groups(old.Groups, cur.Groups)
		d.roles(old.Roles, cur.Roles)
		d.policies(old.Policies, cur.Policies)
	}
	if both(snapshot.SourceCredentialReport) {
		d.credentials(old.CredentialReport, cur.CredentialReport)
	}
	if both(snapshot.SourceVirtualMFADevices) {
		d.virtualMFA(old.VirtualMFADevices, cur.VirtualMFADevices)
	}
	if both(snapshot.SourcePasswordPolicy) {
		d.passwordPolicy(accountARN(cur), old.PasswordPolicy, cur.PasswordPolicy)
	}
	rank := map[string]int{}
	for i, t := range typeOrder {
		rank[t] = i
	}
	sort.SliceStable(d.out, func(i, j int) bool {
		a, b := d.out[i], d.out[j]
		if a.Type != b.Type {
			return rank[a.Type] < rank[b.Type]
		}
		if a.ARN != b.ARN {
			return a.ARN < b.ARN
		}
		if a.Change != b.Change {
			return a.Change < b.Change
		}
		return a.Detail < b.Detail
	})
	if d.out == nil {
		d.out = []Drift{}
	}
	return d.out, notCompared
}

func sourceState(old, cur *snapshot.Snapshot, source string) string {
	var parts []string
	for _, side := range []struct {
		name string
		s    *snapshot.Snapshot
	}{{"OLD", old}, {"NEW", cur}} {
		st, ok := side.s.Sources[source]
		switch {
		case !ok:
			parts = append(parts, "not collected in "+side.name)
		case st.Status != snapshot.StatusOK:
			msg := "not collected completely in " + side.name
			if st.Error != nil && st.Error.Code != "" {
				msg += " (" + st.Error.Code + ")"
			}
			parts = append(parts, msg)
		}
	}
	return strings.Join(parts, ", ")
}

func accountARN(s *snapshot.Snapshot) string {
	p := s.Account.Partition
	if p == "" {
		p = "aws"
	}
	return "arn:" + p + ":iam::" + s.Account.ID + ":root"
}

type drifter struct{ out []Drift }

func (d *drifter) add(change, typ, arn, detail string, st []StatementChange) {
	d.out = append(d.out, Drift{Change: change, Type: typ, ARN: arn, Detail: detail, Statements: st})
}

// byKey pairs two lists by key: the keys only in old, only in cur, and in both.
func byKey[T any](old, cur []T, key func(T) string) (removed, added []T, common [][2]T) {
	om := map[string]T{}
	for _, o := range old {
		om[key(o)] = o
	}
	cm := map[string]bool{}
	for _, c := range cur {
		k := key(c)
		cm[k] = true
		if o, ok := om[k]; ok {
			common = append(common, [2]T{o, c})
		} else {
			added = append(added, c)
		}
	}
	for _, o := range old {
		if !cm[key(o)] {
			removed = append(removed, o)
		}
	}
	return removed, added, common
}

func setDiff(old, cur []string) (removed, added []string) {
	om, cm := map[string]bool{}, map[string]bool{}
	for _, s := range old {
		om[s] = true
	}
	for _, s := range cur {
		cm[s] = true
		if !om[s] {
			added = append(added, s)
		}
	}
	for _, s := range old {
		if !cm[s] {
			removed = append(removed, s)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	return removed, added
}

func (d *drifter) attachments(kind, name, arn string, old, cur []snapshot.AttachedPolicy) {
	arns := func(l []snapshot.AttachedPolicy) []string {
		var out []string
		for _, p := range l {
			out = append(out, p.ARN)
		}
		return out
	}
	removed, added := setDiff(arns(old), arns(cur))
	for _, p := range removed {
		d.add(Removed, TypeAttachment, arn, fmt.Sprintf("policy %s detached from %s %s", p, kind, name), nil)
	}
	for _, p := range added {
		d.add(Added, TypeAttachment, arn, fmt.Sprintf("policy %s attached to %s %s", p, kind, name), nil)
	}
}

func (d *drifter) inline(kind, name, arn string, old, cur []snapshot.InlinePolicy) {
	removed, added, common := byKey(old, cur, func(p snapshot.InlinePolicy) string { return p.Name })
	for _, p := range removed {
		d.add(Removed, TypeInlinePolicy, arn, fmt.Sprintf("inline policy %s removed from %s %s", p.Name, kind, name), nil)
	}
	for _, p := range added {
		d.add(Added, TypeInlinePolicy, arn, fmt.Sprintf("inline policy %s added to %s %s", p.Name, kind, name), DocumentStatements(p.Document))
	}
	for _, c := range common {
		if st := CompareDocuments(c[0].Document, c[1].Document); len(st) > 0 {
			d.add(Changed, TypeInlinePolicy, arn, fmt.Sprintf("inline policy %s of %s %s changed: %s", c[1].Name, kind, name, Summary(st)), st)
		}
	}
}

// renamedFrom names the removed entity with the same unique ID (IAM
// renames users and groups in place: the ID stays, the ARN changes).
func renamedFrom[T any](removed []T, id string, key func(T) (string, string)) string {
	if id == "" {
		return ""
	}
	for _, r := range removed {
		if rid, arn := key(r); rid == id {
			return " (renamed from " + arn + ": same unique ID " + id + ")"
		}
	}
	return ""
}

func boundary(b *snapshot.PermissionsBoundary) string {
	if b == nil {
		return "none"
	}
	return b.ARN
}

func (d *drifter) users(old, cur []snapshot.User) {
	removed, added, common := byKey(old, cur, func(u snapshot.User) string { return u.ARN })
	for _, u := range removed {
		d.add(Removed, TypeUser, u.ARN, "user "+u.Name+" removed", nil)
	}
	empty := snapshot.User{}
	for _, u := range added {
		d.add(Added, TypeUser, u.ARN, "user "+u.Name+" added"+renamedFrom(removed, u.ID, func(r snapshot.User) (string, string) { return r.ID, r.ARN }), nil)
		common = append(common, [2]snapshot.User{empty, u})
	}
	for _, c := range common {
		o, n := c[0], c[1]
		if o.ARN != "" && boundary(o.PermissionsBoundary) != boundary(n.PermissionsBoundary) {
			d.add(Changed, TypeUser, n.ARN, fmt.Sprintf("user %s permissions boundary: %s -> %s", n.Name, boundary(o.PermissionsBoundary), boundary(n.PermissionsBoundary)), nil)
		}
		d.attachments("user", n.Name, n.ARN, o.AttachedPolicies, n.AttachedPolicies)
		d.inline("user", n.Name, n.ARN, o.InlinePolicies, n.InlinePolicies)
		gr, ga := setDiff(o.Groups, n.Groups)
		for _, g := range gr {
			d.add(Removed, TypeGroupMembership, n.ARN, fmt.Sprintf("user %s removed from group %s", n.Name, g), nil)
		}
		for _, g := range ga {
			d.add(Added, TypeGroupMembership, n.ARN, fmt.Sprintf("user %s added to group %s", n.Name, g), nil)
		}
	}
}

func (d *drifter) groups(old, cur []snapshot.Group) {
	removed, added, common := byKey(old, cur, func(g snapshot.Group) string { return g.ARN })
	for _, g := range removed {
		d.add(Removed, TypeGroup, g.ARN, "group "+g.Name+" removed", nil)
	}
	for _, g := range added {
		d.add(Added, TypeGroup, g.ARN, "group "+g.Name+" added"+renamedFrom(removed, g.ID, func(r snapshot.Group) (string, string) { return r.ID, r.ARN }), nil)
		common = append(common, [2]snapshot.Group{{}, g})
	}
	for _, c := range common {
		d.attachments("group", c[1].Name, c[1].ARN, c[0].AttachedPolicies, c[1].AttachedPolicies)
		d.inline("group", c[1].Name, c[1].ARN, c[0].InlinePolicies, c[1].InlinePolicies)
	}
}

func seconds(p *int32) string {
	if p == nil {
		return "default"
	}
	return fmt.Sprintf("%ds", *p)
}

func (d *drifter) roles(old, cur []snapshot.Role) {
	removed, added, common := byKey(old, cur, func(r snapshot.Role) string { return r.ARN })
	for _, r := range removed {
		d.add(Removed, TypeRole, r.ARN, "role "+r.Name+" removed", nil)
	}
	for _, r := range added {
		d.add(Added, TypeRole, r.ARN, "role "+r.Name+" added", nil)
		d.add(Added, TypeTrustPolicy, r.ARN, "trust policy of new role "+r.Name, DocumentStatements(r.AssumeRolePolicyDocument))
		common = append(common, [2]snapshot.Role{{}, r})
	}
	for _, c := range common {
		o, n := c[0], c[1]
		if o.ARN != "" {
			if seconds(o.MaxSessionDuration) != seconds(n.MaxSessionDuration) {
				d.add(Changed, TypeRole, n.ARN, fmt.Sprintf("role %s maximum session duration: %s -> %s", n.Name, seconds(o.MaxSessionDuration), seconds(n.MaxSessionDuration)), nil)
			}
			if boundary(o.PermissionsBoundary) != boundary(n.PermissionsBoundary) {
				d.add(Changed, TypeRole, n.ARN, fmt.Sprintf("role %s permissions boundary: %s -> %s", n.Name, boundary(o.PermissionsBoundary), boundary(n.PermissionsBoundary)), nil)
			}
			if st := CompareDocuments(o.AssumeRolePolicyDocument, n.AssumeRolePolicyDocument); len(st) > 0 {
				d.add(Changed, TypeTrustPolicy, n.ARN, fmt.Sprintf("trust policy of role %s changed: %s", n.Name, Summary(st)), st)
			}
		}
		d.attachments("role", n.Name, n.ARN, o.AttachedPolicies, n.AttachedPolicies)
		d.inline("role", n.Name, n.ARN, o.InlinePolicies, n.InlinePolicies)
	}
}

func (d *drifter) policies(old, cur []snapshot.ManagedPolicy) {
	removed, added, common := byKey(old, cur, func(p snapshot.ManagedPolicy) string { return p.ARN })
	for _, p := range removed {
		d.add(Removed, TypePolicy, p.ARN, "managed policy "+p.Name+" removed", nil)
	}
	for _, p := range added {
		detail := "managed policy " + p.Name + " added"
		// A policy cannot be renamed in IAM; a new one with the document
		// of a removed one is named as its likely successor.
		for _, r := range removed {
			if len(CompareDocuments(r.DefaultDocument(), p.DefaultDocument())) == 0 {
				detail += " (same default document as removed " + r.ARN + ")"
				break
			}
		}
		d.add(Added, TypePolicy, p.ARN, detail, DocumentStatements(p.DefaultDocument()))
	}
	for _, c := range common {
		o, n := c[0], c[1]
		st := CompareDocuments(o.DefaultDocument(), n.DefaultDocument())
		if len(st) == 0 {
			continue
		}
		detail := fmt.Sprintf("managed policy %s default version %s -> %s: %s", n.Name, o.DefaultVersionID, n.DefaultVersionID, Summary(st))
		if o.DefaultVersionID == n.DefaultVersionID {
			detail = fmt.Sprintf("managed policy %s default version %s changed: %s", n.Name, n.DefaultVersionID, Summary(st))
		}
		d.add(Changed, TypePolicy, n.ARN, detail, st)
	}
}

// accessKey is one access key slot of a credential report row. The report
// names no key ID: a key is its slot and its creation (last rotation) time.
type accessKey struct {
	user, arn, slot, rotated, active string
}

func keys(cr *snapshot.CredentialReport) []accessKey {
	if cr == nil {
		return nil
	}
	var out []accessKey
	for _, row := range cr.Rows {
		for _, n := range []string{"1", "2"} {
			active := row["access_key_"+n+"_active"]
			rotated := row["access_key_"+n+"_last_rotated"]
			if active != "true" && (rotated == "" || rotated == "N/A") {
				continue
			}
			out = append(out, accessKey{user: row["user"], arn: row["arn"], slot: n, rotated: rotated, active: active})
		}
	}
	return out
}

func activeWord(v string) string {
	if v == "true" {
		return "active"
	}
	return "inactive"
}

func (d *drifter) credentials(old, cur *snapshot.CredentialReport) {
	key := func(k accessKey) string { return k.arn + "\x00" + k.slot + "\x00" + k.rotated }
	removed, added, common := byKey(keys(old), keys(cur), key)
	for _, k := range removed {
		d.add(Removed, TypeAccessKey, k.arn, fmt.Sprintf("access key %s of %s (created %s) removed or rotated", k.slot, k.user, k.rotated), nil)
	}
	for _, k := range added {
		d.add(Added, TypeAccessKey, k.arn, fmt.Sprintf("access key %s of %s (created %s, %s) added", k.slot, k.user, k.rotated, activeWord(k.active)), nil)
	}
	for _, c := range common {
		if c[0].active != c[1].active {
			d.add(Changed, TypeAccessKey, c[1].arn, fmt.Sprintf("access key %s of %s (created %s): %s -> %s", c[1].slot, c[1].user, c[1].rotated, activeWord(c[0].active), activeWord(c[1].active)), nil)
		}
	}
	rows := func(cr *snapshot.CredentialReport) []map[string]string {
		if cr == nil {
			return nil
		}
		return cr.Rows
	}
	_, _, both := byKey(rows(old), rows(cur), func(r map[string]string) string { return r["arn"] })
	for _, c := range both {
		if o, n := c[0]["mfa_active"], c[1]["mfa_active"]; o != n {
			change := Changed
			switch {
			case n == "true":
				change = Added
			case o == "true":
				change = Removed
			}
			d.add(change, TypeMFADevice, c[1]["arn"], fmt.Sprintf("MFA of %s: %s -> %s", c[1]["user"], activeWord(o), activeWord(n)), nil)
		}
	}
}

func (d *drifter) virtualMFA(old, cur []snapshot.VirtualMFADevice) {
	assigned := func(v snapshot.VirtualMFADevice) string {
		if v.UserARN == "" {
			return "unassigned"
		}
		return "assigned to " + v.UserARN
	}
	removed, added, common := byKey(old, cur, func(v snapshot.VirtualMFADevice) string { return v.SerialNumber })
	for _, v := range removed {
		d.add(Removed, TypeMFADevice, v.SerialNumber, "virtual MFA device removed (was "+assigned(v)+")", nil)
	}
	for _, v := range added {
		d.add(Added, TypeMFADevice, v.SerialNumber, "virtual MFA device added ("+assigned(v)+")", nil)
	}
	for _, c := range common {
		if c[0].UserARN != c[1].UserARN {
			d.add(Changed, TypeMFADevice, c[1].SerialNumber, "virtual MFA device: "+assigned(c[0])+" -> "+assigned(c[1]), nil)
		}
	}
}

func (d *drifter) passwordPolicy(arn string, old, cur *snapshot.PasswordPolicy) {
	switch {
	case old == nil && cur == nil:
		return
	case old == nil:
		d.add(Added, TypePasswordPolicy, arn, "password policy set: "+fields(cur), nil)
		return
	case cur == nil:
		d.add(Removed, TypePasswordPolicy, arn, "password policy removed (was: "+fields(old)+")", nil)
		return
	}
	om, cm := fieldMap(old), fieldMap(cur)
	var parts []string
	for _, k := range sortedKeys(om, cm) {
		if om[k] != cm[k] {
			parts = append(parts, fmt.Sprintf("%s %s -> %s", k, orUnset(om[k]), orUnset(cm[k])))
		}
	}
	if len(parts) > 0 {
		d.add(Changed, TypePasswordPolicy, arn, "password policy: "+strings.Join(parts, ", "), nil)
	}
}

func fieldMap(p *snapshot.PasswordPolicy) map[string]string {
	data, _ := json.Marshal(p)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	out := map[string]string{}
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}

func fields(p *snapshot.PasswordPolicy) string {
	m := fieldMap(p)
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, ", ")
}

func orUnset(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}

func sortedKeys(maps ...map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
