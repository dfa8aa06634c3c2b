package collect

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// OrgView is an account's organization as the organisation runner read it
// from the management account: the view, or why the organization's
// policies could not be read (Err). Source organization records it as it
// is, without a request.
type OrgView struct {
	Organization *snapshot.Organization // nil with Err nil: the account is in no organization
	Err          *snapshot.SourceError
	Note         string
	// Features are the organization's centralised root access features as
	// the runner read them (or FeaturesErr why not): a member's
	// organizations_features source records them without a request, since
	// only the management account or a delegated administrator may ask.
	Features    *snapshot.OrganizationsFeatures
	FeaturesErr *snapshot.SourceError
}

// orgNotInUse is the error with which Organizations says the caller's
// account is in no organization.
const orgNotInUse = "AWSOrganizationsNotInUseException"

// orgRefusedNote is the note of a member account that may not read its
// organization's policies.
const orgRefusedNote = "only the organization's management account or a delegated administrator can read the service and resource control policies; decisions then leave organization policies out (audit the organization with lockdown audit --org from the management account to apply them)"

// maxOrgDepth bounds the walk up from an account to the root: AWS allows
// OUs nested five levels deep under the root.
const maxOrgDepth = 10

// orgPageBound bounds one NextToken listing of Organizations (pages of up
// to 20 items): 5000 pages, far above the quotas (policies, OUs and
// accounts per organization).
const orgPageBound = 5000

// organization: the account's place in its organization and the SCPs and
// RCPs attached along it. organizations:DescribeOrganization, ListRoots
// (the policy types enabled), ListParents from the account up to the root,
// DescribeOrganizationalUnit for each OU's name, DescribeAccount for the
// account's, ListPoliciesForTarget
// for each level and each enabled type, DescribePolicy for each policy.
//
// An account in no organization (AWSOrganizationsNotInUseException) is a
// complete answer: status ok, no organization. A member account that is
// not a delegated administrator is refused the policy calls: the error is
// recorded with a note saying decisions then leave the policies out.
func (c *collector) organization(ctx context.Context, r *run) error {
	if v := c.opts.OrgView; v != nil {
		r.note = v.Note
		if v.Err != nil {
			e := *v.Err
			return &sourceError{code: e.Code, msg: e.Message, action: e.Action}
		}
		c.snap.Organization = v.Organization
		return nil
	}
	desc, err := c.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		if errorCode(err) == orgNotInUse {
			r.note = "the account is in no AWS Organizations organization (AWSOrganizationsNotInUseException): no service or resource control policy applies"
			return nil
		}
		return c.orgRefused(r, err)
	}
	if desc.Organization == nil {
		return newActionError("organizations:DescribeOrganization", "MalformedResponse", "DescribeOrganization returned no Organization element")
	}
	org := &snapshot.Organization{
		ID:                  str(desc.Organization.Id),
		ManagementAccountID: str(desc.Organization.MasterAccountId),
		PolicyTypes:         []string{},
		Policies:            []snapshot.OrgPolicy{},
	}
	roots, err := c.orgRoots(ctx)
	if err != nil {
		return c.orgRefused(r, err)
	}
	if len(roots) != 1 {
		return newActionError("organizations:ListRoots", "MalformedResponse", "ListRoots returned %d roots; an organization has exactly one", len(roots))
	}
	root := roots[0]
	org.PolicyTypes = enabledPolicyTypes(root.PolicyTypes)

	// The path from the account up to the root, then reversed.
	account := c.snap.Account.ID
	path := []snapshot.OrgNode{{ID: account, Type: "ACCOUNT"}}
	child := account
	for depth := 0; ; depth++ {
		if depth >= maxOrgDepth {
			return newActionError("organizations:ListParents", "MalformedResponse", "no root within %d levels above account %s", maxOrgDepth, account)
		}
		out, err := c.orgs.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(child)})
		if err != nil {
			return c.orgRefused(r, err)
		}
		if len(out.Parents) != 1 {
			return newActionError("organizations:ListParents", "MalformedResponse", "ListParents returned %d parents of %s; every account and OU has one", len(out.Parents), child)
		}
		p := out.Parents[0]
		node := snapshot.OrgNode{ID: str(p.Id), Type: string(p.Type)}
		if p.Type == orgtypes.ParentTypeRoot {
			node.Name = str(root.Name)
			path = append(path, node)
			break
		}
		ou, err := c.orgs.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: p.Id})
		if err != nil {
			return c.orgRefused(r, err)
		}
		if ou.OrganizationalUnit != nil {
			node.Name = str(ou.OrganizationalUnit.Name)
		}
		path = append(path, node)
		child = node.ID
	}
	acctOut, err := c.orgs.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(account)})
	if err != nil {
		return c.orgRefused(r, err)
	}
	if acctOut.Account != nil {
		path[0].Name = str(acctOut.Account.Name)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}

	ids := map[string]bool{}
	for i := range path {
		path[i].SCPs, path[i].RCPs = []string{}, []string{}
		for _, typ := range org.PolicyTypes {
			attached, err := c.policiesForTarget(ctx, path[i].ID, typ)
			if err != nil {
				return c.orgRefused(r, err)
			}
			for _, id := range attached {
				ids[id] = true
			}
			if typ == snapshot.OrgPolicySCP {
				path[i].SCPs = attached
			} else {
				path[i].RCPs = attached
			}
		}
	}
	org.Path = path
	for _, id := range sortedKeys(ids) {
		p, err := c.describePolicy(ctx, id)
		if err != nil {
			return c.orgRefused(r, err)
		}
		org.Policies = append(org.Policies, p)
	}
	c.snap.Organization = org
	return nil
}

// orgRefused adds the note that says what a refusal means to an error.
func (c *collector) orgRefused(r *run, err error) error {
	switch errorCode(err) {
	case "AccessDeniedException", "AccessDenied", "AccessDeniedForDependencyException":
		r.note = orgRefusedNote
	}
	return err
}

func (c *collector) orgRoots(ctx context.Context) ([]orgtypes.Root, error) {
	return orgRoots(ctx, c.orgs)
}

func orgRoots(ctx context.Context, client *organizations.Client) ([]orgtypes.Root, error) {
	var roots []orgtypes.Root
	err := tokenPages(ctx, "organizations:ListRoots", func(ctx context.Context, token *string) (*string, error) {
		out, err := client.ListRoots(ctx, &organizations.ListRootsInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		roots = append(roots, out.Roots...)
		return out.NextToken, nil
	})
	return roots, err
}

// enabledPolicyTypes are the SCP and RCP types a root says are ENABLED,
// sorted.
func enabledPolicyTypes(types []orgtypes.PolicyTypeSummary) []string {
	out := []string{}
	for _, t := range types {
		typ := string(t.Type)
		if t.Status == orgtypes.PolicyTypeStatusEnabled && (typ == snapshot.OrgPolicySCP || typ == snapshot.OrgPolicyRCP) {
			out = append(out, typ)
		}
	}
	sort.Strings(out)
	return out
}

func (c *collector) policiesForTarget(ctx context.Context, target, typ string) ([]string, error) {
	ids := []string{}
	err := tokenPages(ctx, "organizations:ListPoliciesForTarget", func(ctx context.Context, token *string) (*string, error) {
		out, err := c.orgs.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{
			TargetId: aws.String(target), Filter: orgtypes.PolicyType(typ), NextToken: token,
		})
		if err != nil {
			return nil, err
		}
		for _, p := range out.Policies {
			if id := str(p.Id); id != "" {
				ids = append(ids, id)
			}
		}
		return out.NextToken, nil
	})
	sort.Strings(ids)
	return ids, err
}

func (c *collector) describePolicy(ctx context.Context, id string) (snapshot.OrgPolicy, error) {
	return describeOrgPolicy(ctx, c.orgs, id)
}

// describeOrgPolicy is organizations:DescribePolicy, its document through
// snapshot.NormalizeDocument.
func describeOrgPolicy(ctx context.Context, client *organizations.Client, id string) (snapshot.OrgPolicy, error) {
	const action = "organizations:DescribePolicy"
	out, err := client.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(id)})
	if err != nil {
		return snapshot.OrgPolicy{}, err
	}
	if out.Policy == nil || out.Policy.PolicySummary == nil {
		return snapshot.OrgPolicy{}, newActionError(action, "MalformedResponse", "DescribePolicy %s returned no policy summary", id)
	}
	sum := out.Policy.PolicySummary
	doc, err := snapshot.NormalizeDocument(str(out.Policy.Content))
	if err != nil {
		return snapshot.OrgPolicy{}, newActionError(action, "MalformedPolicy", "policy %s: %v", id, err)
	}
	return snapshot.OrgPolicy{
		ID: str(sum.Id), ARN: str(sum.Arn), Name: str(sum.Name), Type: string(sum.Type),
		AWSManaged: sum.AwsManaged, Document: doc,
	}, nil
}

// tokenPages drives an Organizations NextToken listing, bounded by
// orgPageBound pages (paginateTokens).
func tokenPages(ctx context.Context, action string, page func(ctx context.Context, token *string) (*string, error)) error {
	return paginateTokens(ctx, action, orgPageBound, page)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
