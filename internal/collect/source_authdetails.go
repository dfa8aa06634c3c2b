package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const gaad = "iam:GetAccountAuthorizationDetails"

// authPageSize is the largest MaxItems IAM accepts.
const authPageSize = 1000

// authStreams are the GetAccountAuthorizationDetails filters fetched
// concurrently, one paginated stream each. AWSManagedPolicy returns the AWS
// managed policies in use in the account, LocalManagedPolicy the customer
// managed ones.
var authStreams = []types.EntityType{
	types.EntityTypeUser,
	types.EntityTypeGroup,
	types.EntityTypeRole,
	types.EntityTypeLocalManagedPolicy,
	types.EntityTypeAWSManagedPolicy,
}

// authResult is what one stream gathered.
type authResult struct {
	users    []snapshot.User
	groups   []snapshot.Group
	roles    []snapshot.Role
	policies []snapshot.ManagedPolicy
	roleInfo map[string]types.Role // from ListRoles, by ARN
	errs     []error               // in the order found
}

func (a *authResult) add(err error) { a.errs = append(a.errs, err) }

func (a *authResult) empty() bool {
	return len(a.users)+len(a.groups)+len(a.roles)+len(a.policies)+len(a.roleInfo) == 0
}

// authorizationDetails: every page of iam:GetAccountAuthorizationDetails
// for each entity type, plus iam:ListRoles for the role fields the former
// lacks (MaxSessionDuration, Description). The request count grows with
// pages, never with entities.
func (c *collector) authorizationDetails(ctx context.Context, r *run) error {
	results := make([]*authResult, len(authStreams)+1)
	var wg sync.WaitGroup
	for i, f := range authStreams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.authStream(ctx, f)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		results[len(authStreams)] = c.listRoles(ctx)
	}()
	wg.Wait()

	var all authResult
	roleInfo := map[string]types.Role{}
	kept := false
	for _, res := range results {
		all.users = append(all.users, res.users...)
		all.groups = append(all.groups, res.groups...)
		all.roles = append(all.roles, res.roles...)
		all.policies = append(all.policies, res.policies...)
		for k, v := range res.roleInfo {
			roleInfo[k] = v
		}
		all.errs = append(all.errs, res.errs...)
		kept = kept || !res.empty()
	}
	for i := range all.roles {
		if info, ok := roleInfo[all.roles[i].ARN]; ok {
			all.roles[i].MaxSessionDuration = info.MaxSessionDuration
			all.roles[i].Description = str(info.Description)
		}
	}
	c.snap.Users = dedupe(all.users, func(u snapshot.User) string { return u.ARN })
	c.snap.Groups = dedupe(all.groups, func(g snapshot.Group) string { return g.ARN })
	c.snap.Roles = dedupe(all.roles, func(r snapshot.Role) string { return r.ARN })
	c.snap.Policies = dedupe(all.policies, func(p snapshot.ManagedPolicy) string { return p.ARN })

	if len(all.errs) == 0 {
		return nil
	}
	if kept {
		r.partial.Store(true)
	}
	first := classify(all.errs[0])
	msg := first.Message
	if n := len(all.errs) - 1; n > 0 {
		msg = fmt.Sprintf("%s (and %d more problem(s))", msg, n)
	}
	return newActionError(first.Action, first.Code, "%s", msg)
}

// dedupe keeps the first entity per key: a page boundary that shifts
// between requests can return an entity twice.
func dedupe[T any](in []T, key func(T) string) []T {
	seen := make(map[string]bool, len(in))
	out := in[:0]
	for _, v := range in {
		k := key(v)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// streamBound is the paging bound of one GetAccountAuthorizationDetails
// stream, from the account summary's count of its entities.
func (c *collector) streamBound(filter types.EntityType) pageBound {
	switch filter {
	case types.EntityTypeUser:
		return c.bound(noSummaryCount, "Users")
	case types.EntityTypeGroup:
		return c.bound(noSummaryCount, "Groups")
	case types.EntityTypeRole:
		return c.bound(noSummaryCount, "Roles")
	case types.EntityTypeLocalManagedPolicy:
		return c.bound(noSummaryCount, "Policies")
	}
	// The summary does not count the AWS managed policies in use.
	return c.bound(awsManagedCount)
}

func (c *collector) authStream(ctx context.Context, filter types.EntityType) *authResult {
	res := &authResult{}
	err := paginate(ctx, "GetAccountAuthorizationDetails (Filter "+string(filter)+")", c.streamBound(filter), func(ctx context.Context, marker *string) (*string, bool, int, error) {
		out, err := c.iam.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
			Filter:   []types.EntityType{filter},
			Marker:   marker,
			MaxItems: aws.Int32(authPageSize),
		})
		if err != nil {
			return nil, false, 0, err
		}
		for _, u := range out.UserDetailList {
			res.users = append(res.users, convertUser(u, res))
		}
		for _, g := range out.GroupDetailList {
			res.groups = append(res.groups, convertGroup(g, res))
		}
		for _, rd := range out.RoleDetailList {
			res.roles = append(res.roles, convertRole(rd, res))
		}
		for _, p := range out.Policies {
			res.policies = append(res.policies, convertPolicy(p, res))
		}
		n := len(out.UserDetailList) + len(out.GroupDetailList) + len(out.RoleDetailList) + len(out.Policies)
		return out.Marker, out.IsTruncated, n, nil
	})
	if err != nil {
		res.add(err)
	}
	return res
}

func (c *collector) listRoles(ctx context.Context) *authResult {
	res := &authResult{roleInfo: map[string]types.Role{}}
	err := paginate(ctx, "ListRoles", c.bound(noSummaryCount, "Roles"), func(ctx context.Context, marker *string) (*string, bool, int, error) {
		out, err := c.iam.ListRoles(ctx, &iam.ListRolesInput{Marker: marker, MaxItems: aws.Int32(authPageSize)})
		if err != nil {
			return nil, false, 0, err
		}
		for _, role := range out.Roles {
			res.roleInfo[str(role.Arn)] = role
		}
		return out.Marker, out.IsTruncated, len(out.Roles), nil
	})
	if err != nil {
		res.add(err)
	}
	return res
}

// document decodes a URL-encoded policy document. A document that does not
// decode to a JSON object is recorded as an error naming the entity and
// policy and left out (ok false); the entity itself is kept, so the
// snapshot stays loadable and the source reports what is missing.
func document(raw *string, res *authResult, entity, what string) (json.RawMessage, bool) {
	if raw == nil {
		res.add(newActionError(gaad, "MalformedPolicyDocument", "%s: %s: AWS returned no policy document", entity, what))
		return nil, false
	}
	doc, err := snapshot.NormalizeDocument(*raw)
	if err == nil && (len(doc) == 0 || doc[0] != '{') {
		err = fmt.Errorf("policy document is JSON but not an object")
	}
	if err != nil {
		res.add(newActionError(gaad, "MalformedPolicyDocument", "%s: %s: %v (left out of the snapshot)", entity, what, err))
		return nil, false
	}
	return doc, true
}

func attached(in []types.AttachedPolicy) []snapshot.AttachedPolicy {
	var out []snapshot.AttachedPolicy
	for _, p := range in {
		out = append(out, snapshot.AttachedPolicy{Name: str(p.PolicyName), ARN: str(p.PolicyArn)})
	}
	return out
}

func inline(in []types.PolicyDetail, res *authResult, entity string) []snapshot.InlinePolicy {
	var out []snapshot.InlinePolicy
	for _, p := range in {
		name := str(p.PolicyName)
		if doc, ok := document(p.PolicyDocument, res, entity, fmt.Sprintf("inline policy %q", name)); ok {
			out = append(out, snapshot.InlinePolicy{Name: name, Document: doc})
		}
	}
	return out
}

func boundary(b *types.AttachedPermissionsBoundary) *snapshot.PermissionsBoundary {
	if b == nil || str(b.PermissionsBoundaryArn) == "" {
		return nil
	}
	t := string(b.PermissionsBoundaryType)
	if t == "" {
		t = string(types.PermissionsBoundaryAttachmentTypePolicy)
	}
	return &snapshot.PermissionsBoundary{Type: t, ARN: str(b.PermissionsBoundaryArn)}
}

func tags(in []types.Tag) []snapshot.Tag {
	var out []snapshot.Tag
	for _, t := range in {
		out = append(out, snapshot.Tag{Key: str(t.Key), Value: str(t.Value)})
	}
	return out
}

func convertUser(u types.UserDetail, res *authResult) snapshot.User {
	entity := fmt.Sprintf("user %q", str(u.UserName))
	return snapshot.User{
		Name:                str(u.UserName),
		ID:                  str(u.UserId),
		ARN:                 str(u.Arn),
		Path:                str(u.Path),
		CreateDate:          utc(u.CreateDate),
		Groups:              append([]string(nil), u.GroupList...),
		AttachedPolicies:    attached(u.AttachedManagedPolicies),
		InlinePolicies:      inline(u.UserPolicyList, res, entity),
		PermissionsBoundary: boundary(u.PermissionsBoundary),
		Tags:                tags(u.Tags),
	}
}

func convertGroup(g types.GroupDetail, res *authResult) snapshot.Group {
	entity := fmt.Sprintf("group %q", str(g.GroupName))
	return snapshot.Group{
		Name:             str(g.GroupName),
		ID:               str(g.GroupId),
		ARN:              str(g.Arn),
		Path:             str(g.Path),
		CreateDate:       utc(g.CreateDate),
		AttachedPolicies: attached(g.AttachedManagedPolicies),
		InlinePolicies:   inline(g.GroupPolicyList, res, entity),
	}
}

func convertRole(r types.RoleDetail, res *authResult) snapshot.Role {
	entity := fmt.Sprintf("role %q", str(r.RoleName))
	out := snapshot.Role{
		Name:                str(r.RoleName),
		ID:                  str(r.RoleId),
		ARN:                 str(r.Arn),
		Path:                str(r.Path),
		CreateDate:          utc(r.CreateDate),
		AttachedPolicies:    attached(r.AttachedManagedPolicies),
		InlinePolicies:      inline(r.RolePolicyList, res, entity),
		PermissionsBoundary: boundary(r.PermissionsBoundary),
		Tags:                tags(r.Tags),
	}
	out.AssumeRolePolicyDocument, _ = document(r.AssumeRolePolicyDocument, res, entity, "trust policy")
	if lu := r.RoleLastUsed; lu != nil && (lu.LastUsedDate != nil || str(lu.Region) != "") {
		out.RoleLastUsed = &snapshot.RoleLastUsed{LastUsedDate: utcPtr(lu.LastUsedDate), Region: str(lu.Region)}
	}
	for _, ip := range r.InstanceProfileList {
		if a := str(ip.Arn); a != "" {
			out.InstanceProfiles = append(out.InstanceProfiles, a)
		}
	}
	return out
}

func convertPolicy(p types.ManagedPolicyDetail, res *authResult) snapshot.ManagedPolicy {
	entity := fmt.Sprintf("managed policy %q", str(p.Arn))
	out := snapshot.ManagedPolicy{
		Name:             str(p.PolicyName),
		ID:               str(p.PolicyId),
		ARN:              str(p.Arn),
		Path:             str(p.Path),
		DefaultVersionID: str(p.DefaultVersionId),
		IsAttachable:     p.IsAttachable,
		Description:      str(p.Description),
		CreateDate:       utc(p.CreateDate),
		UpdateDate:       utc(p.UpdateDate),
		Versions:         []snapshot.PolicyVersion{},
	}
	if p.AttachmentCount != nil {
		out.AttachmentCount = *p.AttachmentCount
	}
	if p.PermissionsBoundaryUsageCount != nil {
		out.PermissionsBoundaryUsageCount = *p.PermissionsBoundaryUsageCount
	}
	for _, v := range p.PolicyVersionList {
		id := str(v.VersionId)
		doc, ok := document(v.Document, res, entity, "version "+id)
		if !ok {
			continue
		}
		out.Versions = append(out.Versions, snapshot.PolicyVersion{
			VersionID:        id,
			IsDefaultVersion: v.IsDefaultVersion,
			CreateDate:       utc(v.CreateDate),
			Document:         doc,
		})
	}
	if len(p.PolicyVersionList) == 0 {
		res.add(newActionError(gaad, "MissingPolicyVersions", "%s: AWS returned no policy versions", entity))
	}
	return out
}
