package collect

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/lockdown-dev/lockdown/internal/redact"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// OrgSession is the organisation runner's connection: the caller's
// configuration and credentials, loaded and resolved once (an MFA profile
// prompts once), from which each member account's audit role is assumed.
type OrgSession struct {
	opts      Options
	cfg       aws.Config
	keyID     string
	orgs      *organizations.Client
	iam       *iam.Client // iam:ListOrganizationsFeatures, read once for every member
	assume    *sts.Client
	Caller    snapshot.Caller
	Partition string
	requests  atomic.Int64
}

// Requests is the number of requests the session made as the caller
// (identity, the organization's tree and policies, AssumeRole).
func (s *OrgSession) Requests() int { return int(s.requests.Load()) }

// countSession counts a session's requests.
func countSession(n *atomic.Int64) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("lockdown.CountSessionRequests",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				n.Add(1)
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
}

// NewOrgSession loads the caller's AWS configuration as Collect does and
// asks who the caller is. It returns a *CredentialsError or an
// *IdentityError as Collect does. Options.Timeout bounds it.
func NewOrgSession(parent context.Context, opts Options) (*OrgSession, error) {
	opts = opts.withDefaults()
	s, err := newOrgSession(parent, opts)
	return s, redact.Error(err)
}

func newOrgSession(parent context.Context, opts Options) (*OrgSession, error) {
	ctx, cancel := context.WithTimeout(parent, opts.Timeout)
	defer cancel()
	cfg, keyID, err := loadConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	s := &OrgSession{opts: opts, cfg: cfg, keyID: keyID}
	s.orgs = organizations.NewFromConfig(cfg, func(o *organizations.Options) {
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceOrganizations), countSession(&s.requests))
	})
	s.iam = iam.NewFromConfig(cfg, func(o *iam.Options) {
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceIAM), countSession(&s.requests))
	})
	// The one client that may call sts:AssumeRole.
	s.assume = sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.APIOptions = append(o.APIOptions, AssumeRoleGuard(), countSession(&s.requests))
	})
	id := sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceSTS), countSession(&s.requests))
	})
	out, err := id.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if isCredentialError(err) {
			return nil, &CredentialsError{Profile: opts.Profile, EnvProfile: opts.Getenv("AWS_PROFILE"), Err: err}
		}
		se := classify(err)
		return nil, &IdentityError{Code: se.Code, Message: se.Message, Err: err}
	}
	acct, arn := str(out.Account), str(out.Arn)
	part, ok := arnPartition(arn)
	if !isAccountID(acct) || !ok {
		return nil, &IdentityError{Code: "MalformedAccountID", Message: fmt.Sprintf("GetCallerIdentity returned account %q and ARN %q", acct, arn)}
	}
	s.Caller = snapshot.Caller{ARN: arn, UserID: str(out.UserId), Account: acct}
	s.Partition = part
	return s, nil
}

// OrgAccount is one account of the organization.
type OrgAccount struct {
	ID    string
	Name  string
	State string // ACTIVE, SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED
	// Parent is the ID of the root or OU the account sits in directly.
	Parent string
}

// OrgUnit is one organizational unit.
type OrgUnit struct {
	ID, Name, Parent string
}

// OrgTree is the whole organization as the management account (or a
// delegated administrator) reads it: the root, the OU tree, the accounts,
// and the SCPs and RCPs with their targets. It is read once (ReadTree);
// each member's snapshot.Organization is then derived from it (View)
// without another request.
type OrgTree struct {
	ID                  string
	ManagementAccountID string
	RootID, RootName    string
	PolicyTypes         []string // enabled at the root, sorted
	Units               map[string]OrgUnit
	Accounts            []OrgAccount // sorted by ID
	// Policies by ID and the policy IDs attached directly to each target
	// (root, OU or account ID), sorted.
	Policies map[string]snapshot.OrgPolicy
	Attached map[string][]string
	// PolicyErr is why the policies could not be read (nil when they
	// were): every view then carries it as source organization's error.
	PolicyErr *snapshot.SourceError
	// Features are the centralised root access features
	// (iam:ListOrganizationsFeatures), which only the management account or
	// a delegated administrator may read; FeaturesErr is why they could not
	// be. Every member's organizations_features source records them.
	Features    *snapshot.OrganizationsFeatures
	FeaturesErr *snapshot.SourceError
}

// ReadTree reads the organization: DescribeOrganization, ListRoots, the OU
// tree (ListOrganizationalUnitsForParent and ListAccountsForParent from the
// root down), then, for each enabled policy type, ListPolicies,
// DescribePolicy and ListTargetsForPolicy for each policy. A failure to
// read the tree or the accounts is returned; a failure to read the
// policies is recorded in PolicyErr.
func (s *OrgSession) ReadTree(parent context.Context) (*OrgTree, error) {
	ctx, cancel := context.WithTimeout(parent, s.opts.Timeout)
	defer cancel()
	t, err := s.readTree(ctx)
	return t, redact.Error(err)
}

// OrgError is a failure to read the organization's accounts.
type OrgError struct {
	Err *snapshot.SourceError
}

func (e *OrgError) Error() string {
	return redact.String(fmt.Sprintf("cannot list the organization's accounts: %s %s: %s", e.Err.Action, e.Err.Code, e.Err.Message))
}

func orgErr(err error) error {
	se := classify(err)
	if se.Code == orgNotInUse {
		se.Message = "the caller's account is in no AWS Organizations organization: " + se.Message
	}
	return &OrgError{Err: se}
}

func (s *OrgSession) readTree(ctx context.Context) (*OrgTree, error) {
	desc, err := s.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		return nil, orgErr(err)
	}
	if desc.Organization == nil {
		return nil, &OrgError{Err: &snapshot.SourceError{Code: "MalformedResponse", Action: "organizations:DescribeOrganization", Message: "no Organization element"}}
	}
	t := &OrgTree{
		ID:                  str(desc.Organization.Id),
		ManagementAccountID: str(desc.Organization.MasterAccountId),
		Units:               map[string]OrgUnit{},
		Policies:            map[string]snapshot.OrgPolicy{},
		Attached:            map[string][]string{},
	}
	roots, err := orgRoots(ctx, s.orgs)
	if err != nil {
		return nil, orgErr(err)
	}
	if len(roots) != 1 {
		return nil, &OrgError{Err: &snapshot.SourceError{Code: "MalformedResponse", Action: "organizations:ListRoots", Message: fmt.Sprintf("%d roots; an organization has exactly one", len(roots))}}
	}
	t.RootID, t.RootName = str(roots[0].Id), str(roots[0].Name)
	t.PolicyTypes = enabledPolicyTypes(roots[0].PolicyTypes)

	// Breadth first from the root; OUs nest at most five deep, and a
	// parent seen twice (a listing that loops) is not walked again.
	queue := []string{t.RootID}
	walked := map[string]bool{}
	for len(queue) > 0 {
		parentID := queue[0]
		queue = queue[1:]
		if walked[parentID] {
			continue
		}
		walked[parentID] = true
		err := tokenPages(ctx, "organizations:ListOrganizationalUnitsForParent", func(ctx context.Context, token *string) (*string, error) {
			out, err := s.orgs.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parentID), NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, ou := range out.OrganizationalUnits {
				id := str(ou.Id)
				t.Units[id] = OrgUnit{ID: id, Name: str(ou.Name), Parent: parentID}
				queue = append(queue, id)
			}
			return out.NextToken, nil
		})
		if err != nil {
			return nil, orgErr(err)
		}
		err = tokenPages(ctx, "organizations:ListAccountsForParent", func(ctx context.Context, token *string) (*string, error) {
			out, err := s.orgs.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(parentID), NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, a := range out.Accounts {
				// An ID names a directory under --out and a role ARN:
				// twelve digits or nothing.
				if id := str(a.Id); !isAccountID(id) {
					return nil, newActionError("organizations:ListAccountsForParent", "MalformedResponse", "account ID %q under %s is not 12 digits", id, parentID)
				}
				t.Accounts = append(t.Accounts, orgAccount(a, parentID))
			}
			return out.NextToken, nil
		})
		if err != nil {
			return nil, orgErr(err)
		}
	}
	sort.Slice(t.Accounts, func(i, j int) bool { return t.Accounts[i].ID < t.Accounts[j].ID })
	if err := s.readPolicies(ctx, t); err != nil {
		t.PolicyErr = classify(err)
	}
	s.readFeatures(ctx, t)
	return t, nil
}

// readFeatures reads the organization's centralised root access features
// once, as the caller.
func (s *OrgSession) readFeatures(ctx context.Context, t *OrgTree) {
	out, err := s.iam.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	if err != nil {
		t.FeaturesErr = classify(err)
		t.FeaturesErr.Action = listOrganizationsFeatures
		return
	}
	f := &snapshot.OrganizationsFeatures{OrganizationID: str(out.OrganizationId), EnabledFeatures: []string{}}
	for _, feat := range out.EnabledFeatures {
		if feat != "" {
			f.EnabledFeatures = append(f.EnabledFeatures, string(feat))
		}
	}
	t.Features = f
}

// orgAccount reads an account entry: State, or Status where an endpoint
// still sends only the field AWS retired in September 2026.
func orgAccount(a orgtypes.Account, parent string) OrgAccount {
	state := string(a.State)
	if state == "" {
		state = string(a.Status)
	}
	return OrgAccount{ID: str(a.Id), Name: str(a.Name), State: state, Parent: parent}
}

func (s *OrgSession) readPolicies(ctx context.Context, t *OrgTree) error {
	for _, typ := range t.PolicyTypes {
		var ids []string
		err := tokenPages(ctx, "organizations:ListPolicies", func(ctx context.Context, token *string) (*string, error) {
			out, err := s.orgs.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: orgtypes.PolicyType(typ), NextToken: token})
			if err != nil {
				return nil, err
			}
			for _, p := range out.Policies {
				ids = append(ids, str(p.Id))
			}
			return out.NextToken, nil
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			p, err := describeOrgPolicy(ctx, s.orgs, id)
			if err != nil {
				return err
			}
			t.Policies[id] = p
			err = tokenPages(ctx, "organizations:ListTargetsForPolicy", func(ctx context.Context, token *string) (*string, error) {
				out, err := s.orgs.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: aws.String(id), NextToken: token})
				if err != nil {
					return nil, err
				}
				for _, tg := range out.Targets {
					target := str(tg.TargetId)
					t.Attached[target] = append(t.Attached[target], id)
				}
				return out.NextToken, nil
			})
			if err != nil {
				return err
			}
		}
	}
	for k := range t.Attached {
		sort.Strings(t.Attached[k])
	}
	return nil
}

// Ancestors are the root and OU IDs above the account, root first.
func (t *OrgTree) Ancestors(accountID string) ([]string, error) {
	var acct *OrgAccount
	for i := range t.Accounts {
		if t.Accounts[i].ID == accountID {
			acct = &t.Accounts[i]
		}
	}
	if acct == nil {
		return nil, fmt.Errorf("account %s is not in organization %s", accountID, t.ID)
	}
	var up []string
	for id := acct.Parent; ; {
		up = append(up, id)
		if id == t.RootID {
			break
		}
		ou, ok := t.Units[id]
		if !ok || len(up) > maxOrgDepth {
			return nil, fmt.Errorf("account %s: OU %s does not lead to the root", accountID, id)
		}
		id = ou.Parent
	}
	for i, j := 0, len(up)-1; i < j; i, j = i+1, j-1 {
		up[i], up[j] = up[j], up[i]
	}
	return up, nil
}

// View is the account's snapshot.Organization derived from the tree, as
// source organization would record it read from the account itself:
// its path from the root and the policies attached along it.
func (t *OrgTree) View(accountID string) *OrgView {
	v := t.view(accountID)
	v.Features, v.FeaturesErr = t.Features, t.FeaturesErr
	return v
}

func (t *OrgTree) view(accountID string) *OrgView {
	note := "read once from the organization's management account (or delegated administrator) by the organisation audit"
	if t.PolicyErr != nil {
		e := *t.PolicyErr
		return &OrgView{Err: &e, Note: orgRefusedNote}
	}
	ancestors, err := t.Ancestors(accountID)
	if err != nil {
		return &OrgView{Err: &snapshot.SourceError{Code: "NotInOrganization", Action: "organizations:ListAccountsForParent", Message: err.Error()}, Note: note}
	}
	org := &snapshot.Organization{
		ID: t.ID, ManagementAccountID: t.ManagementAccountID,
		PolicyTypes: append([]string{}, t.PolicyTypes...), Policies: []snapshot.OrgPolicy{},
	}
	ids := map[string]bool{}
	for _, id := range append(ancestors, accountID) {
		node := snapshot.OrgNode{ID: id, SCPs: []string{}, RCPs: []string{}}
		switch {
		case id == t.RootID:
			node.Type, node.Name = "ROOT", t.RootName
		case id == accountID:
			node.Type = "ACCOUNT"
			for _, a := range t.Accounts {
				if a.ID == id {
					node.Name = a.Name
				}
			}
		default:
			node.Type, node.Name = "ORGANIZATIONAL_UNIT", t.Units[id].Name
		}
		for _, pid := range t.Attached[id] {
			p := t.Policies[pid]
			switch p.Type {
			case snapshot.OrgPolicySCP:
				node.SCPs = append(node.SCPs, pid)
			case snapshot.OrgPolicyRCP:
				node.RCPs = append(node.RCPs, pid)
			default:
				continue
			}
			ids[pid] = true
		}
		org.Path = append(org.Path, node)
	}
	for _, id := range sortedKeys(ids) {
		org.Policies = append(org.Policies, t.Policies[id])
	}
	return &OrgView{Organization: org, Note: note}
}

// UnitsUnder is ou and every OU nested in it; false when ou is neither an
// OU of the tree nor its root.
func (t *OrgTree) UnitsUnder(ou string) (map[string]bool, bool) {
	if ou != t.RootID {
		if _, ok := t.Units[ou]; !ok {
			return nil, false
		}
	}
	in := map[string]bool{ou: true}
	for changed := true; changed; {
		changed = false
		for id, u := range t.Units {
			if !in[id] && in[u.Parent] {
				in[id] = true
				changed = true
			}
		}
	}
	return in, true
}

// AssumeRoleError means the audit role of an account could not be
// assumed (missing, not trusting the caller, throttled out...).
type AssumeRoleError struct {
	Account, RoleARN string
	Err              *snapshot.SourceError
}

func (e *AssumeRoleError) Error() string {
	return redact.String(fmt.Sprintf("cannot assume %s: sts:AssumeRole %s: %s", e.RoleARN, e.Err.Code, e.Err.Message))
}

// RoleARN is the ARN of role name in account, in the caller's partition.
func (s *OrgSession) RoleARN(account, name string) string {
	return "arn:" + s.Partition + ":iam::" + account + ":role/" + strings.TrimPrefix(name, "/")
}

// CollectAccount collects one account of the organization: the caller's
// own account with the caller's credentials, any other through the audit
// role roleName assumed with them (sts:AssumeRole, on the session's own
// guarded client). opts are the per-account collection options (the
// session's are used for what they leave zero: clock, timeouts, retries);
// source aws_config is left out (it describes the machine running the
// audit, not the account). An account whose role cannot be assumed
// returns an *AssumeRoleError; the other errors are Collect's.
func (s *OrgSession) CollectAccount(parent context.Context, account, roleName string, view *OrgView) (*snapshot.Snapshot, error) {
	opts := s.opts
	opts.SkipAWSConfig = true
	opts.OrgView = view
	ctx, cancel := context.WithTimeout(parent, opts.Timeout)
	defer cancel()
	cfg := s.cfg.Copy()
	keyID := s.keyID
	if account != s.Caller.Account {
		role := s.RoleARN(account, roleName)
		provider := stscreds.NewAssumeRoleProvider(s.assume, role, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = "lockdown-audit"
			o.Duration = time.Hour
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
		creds, err := cfg.Credentials.Retrieve(ctx)
		if err != nil {
			if parent.Err() != nil {
				return nil, parent.Err()
			}
			return nil, redact.Error(&AssumeRoleError{Account: account, RoleARN: role, Err: assumeCause(err)})
		}
		keyID = creds.AccessKeyID
	}
	snap, err := collectWith(ctx, parent, cfg, opts, keyID)
	return snap, redact.Error(err)
}

// assumeCause is the recorded cause of a failed AssumeRole: the provider
// wraps the STS error.
func assumeCause(err error) *snapshot.SourceError {
	se := classify(err)
	if se.Action == "" {
		se.Action = "sts:AssumeRole"
	}
	var ctxErr = context.DeadlineExceeded
	if errors.Is(err, ctxErr) {
		se.Code = "Timeout"
	}
	return se
}
