// Package facts turns a snapshot into the typed, joined model that checks
// read. The model is also the Rego input document: every field carries a JSON
// tag, entities are keyed by ARN, and joins (user -> groups -> policies) are
// done here so that checks stay simple lookups.
//
// Missing or unusable data is never turned into a default that looks like a
// good answer: absent times are null (with the credential report's special
// value kept beside them), and an item that cannot be parsed (a report row,
// a policy) is a Problem whose entities are listed as unknown, so that the
// checks depending on them are not assessed while the rest is.
package facts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lockdown-dev/lockdown/internal/access"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/privesc"
	"github.com/lockdown-dev/lockdown/internal/redact"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// ErrorCodeMalformed is the error code given to a source whose collected data
// could not be interpreted.
const ErrorCodeMalformed = "MalformedData"

// Facts is the Rego input document.
type Facts struct {
	Account     Account `json:"account"`
	CollectedAt string  `json:"collected_at"` // RFC 3339, UTC
	NowEpoch    int64   `json:"now_epoch"`    // collected_at in Unix seconds; checks measure ages from it
	// Sources is the snapshot's source status, with sources whose data
	// failed to parse downgraded to status "error".
	Sources map[string]Source `json:"sources"`

	CredentialReport *CredentialReport `json:"credential_report"` // null when not collected
	// Root joins the credential report's root row with the virtual MFA
	// devices; null when the report has no root row.
	Root              *Root              `json:"root"`
	AccountSummary    map[string]int64   `json:"account_summary"` // null when not collected
	PasswordPolicy    *PasswordPolicy    `json:"password_policy"` // null when no policy is set (see sources)
	VirtualMFADevices []VirtualMFADevice `json:"virtual_mfa_devices"`

	Users    map[string]*User   `json:"users"`    // by user ARN
	Groups   map[string]*Group  `json:"groups"`   // by group ARN
	Roles    map[string]*Role   `json:"roles"`    // by role ARN
	Policies map[string]*Policy `json:"policies"` // managed policies by ARN

	AWSConfig *AWSConfig `json:"aws_config"` // null when not collected

	// The sources beyond IAM (see compliance.go for the regional rule).
	// ServerCertificates are sorted by ARN. Regions are the enabled
	// regions, sorted; null when the region list is not usable.
	ServerCertificates []ServerCertificate `json:"server_certificates"`
	Regions            []string            `json:"regions"`
	// AccessAnalyzers and EC2Instances hold, by region, what each region
	// listed, for every enabled region and every region with an entry;
	// AccessAnalyzerUnknown and EC2Unknown the regions among them that
	// could not be read completely, and why.
	AccessAnalyzers       map[string]*AnalyzerRegion `json:"analyzers"`
	AccessAnalyzerUnknown map[string]*RegionUnknown  `json:"analyzer_unknown"`
	EC2Instances          map[string]*InstanceRegion `json:"ec2_instances"`
	EC2Unknown            map[string]*RegionUnknown  `json:"ec2_unknown"`
	// SecurityContact is null when security_contact is not usable.
	SecurityContact *SecurityContact `json:"security_contact"`
	// OrganizationsFeatures is null when organizations_features is not
	// usable.
	OrganizationsFeatures *OrganizationsFeatures `json:"organizations_features"`

	// Problems are the items that could not be used (sorted by source and
	// item); the rest of each source is. CredentialUnknown are the users
	// (by ARN) whose credential report row is missing or unreadable;
	// PolicyUnknown the users, groups and roles (by ARN) whose groups or
	// policies are not completely known. Checks report them NOT_ASSESSED.
	Problems          []Problem           `json:"problems"`
	CredentialUnknown map[string]*Unknown `json:"credential_unknown"`
	PolicyUnknown     map[string]*Unknown `json:"policy_unknown"`
	// RootProblem says why the credential report's root row is unusable;
	// "" when it is fine or absent.
	RootProblem string `json:"root_problem,omitempty"`

	// IAM is the policy engine's verdicts on every user, group and role;
	// null when authorization_details is incomplete or does not parse.
	IAM *access.Analysis `json:"iam"`
	// PolicyGrants is what each policy document grants on its own
	// (policies_admin.go); null when authorization_details is not usable.
	PolicyGrants *PolicyFacts `json:"policy_grants"`
	// Escalation is every user's, group's and role's shortest
	// privilege-escalation paths (internal/privesc), by ARN; null when
	// authorization_details is not usable.
	Escalation map[string]*privesc.Verdict `json:"escalation"`
	// Access is the account's principals with parsed policies, for the
	// lockdown.iam.decide built-in; not part of the Rego input.
	Access *access.Account `json:"-"`
}

// Account identifies the audited account.
type Account struct {
	ID        string   `json:"id"`
	Partition string   `json:"partition"`
	ARN       string   `json:"arn"` // arn:<partition>:iam::<id>:root
	Aliases   []string `json:"aliases"`
}

// Source is one source's collection status.
type Source struct {
	Status       string `json:"status"` // "ok" or "error"
	ErrorCode    string `json:"error_code,omitempty"`
	ErrorMessage string `json:"error_message,omitempty"`
	// ErrorAction is the API action that failed, when the snapshot names it.
	ErrorAction string `json:"error_action,omitempty"`
	Partial     bool   `json:"partial,omitempty"`
}

// OK reports whether the source is usable.
func (f *Facts) OK(source string) bool {
	s, ok := f.Sources[source]
	return ok && s.Status == snapshot.StatusOK
}

// Build derives the facts from a snapshot. It fails only when the snapshot
// cannot be evaluated at all (no account ID, no collection time); an item of
// a source that cannot be used is a Problem, and only what depends on it is
// unknown.
func Build(snap *snapshot.Snapshot) (*Facts, error) {
	if snap == nil {
		return nil, errors.New("facts: no snapshot")
	}
	if snap.Account.ID == "" {
		return nil, errors.New("facts: snapshot account.id is empty")
	}
	if snap.CollectedAt.IsZero() {
		return nil, errors.New("facts: snapshot collected_at is missing; times are measured from it")
	}
	partition := snap.Account.Partition
	if partition == "" {
		partition = "aws"
	}
	now := snap.CollectedAt.UTC()
	f := &Facts{
		Account: Account{
			ID:        snap.Account.ID,
			Partition: partition,
			ARN:       AccountARN(partition, snap.Account.ID),
			Aliases:   append([]string{}, snap.Account.Aliases...),
		},
		CollectedAt:       now.Format(time.RFC3339),
		NowEpoch:          now.Unix(),
		Sources:           map[string]Source{},
		AccountSummary:    snap.AccountSummary,
		VirtualMFADevices: []VirtualMFADevice{},
		Users:             map[string]*User{},
		Groups:            map[string]*Group{},
		Roles:             map[string]*Role{},
		Policies:          map[string]*Policy{},
		Problems:          []Problem{},
		CredentialUnknown: map[string]*Unknown{},
		PolicyUnknown:     map[string]*Unknown{},
	}
	sort.Strings(f.Account.Aliases)
	for name, st := range snap.Sources {
		s := Source{Status: st.Status, Partial: st.Partial}
		if st.Error != nil {
			// A snapshot may come from anywhere: its error text reaches
			// reports, so it passes the same redaction as live errors.
			s.ErrorCode, s.ErrorMessage, s.ErrorAction = st.Error.Code, redact.String(st.Error.Message), st.Error.Action
		}
		if s.Status != snapshot.StatusOK && s.Status != snapshot.StatusError {
			s = Source{Status: snapshot.StatusError, ErrorCode: ErrorCodeMalformed,
				ErrorMessage: fmt.Sprintf("unknown source status %q", st.Status)}
		}
		f.Sources[name] = s
	}

	var badRows []rowProblem
	if snap.CredentialReport != nil {
		badRows = f.credentialRows(snap)
	}
	for _, d := range snap.VirtualMFADevices {
		v := VirtualMFADevice{SerialNumber: d.SerialNumber, UserARN: d.UserARN, UserName: d.UserName}
		if d.EnableDate != nil {
			s := d.EnableDate.UTC().Format(time.RFC3339)
			v.EnableDate = &s
		}
		v.IsRoot = isRootDevice(f.Account, d)
		f.VirtualMFADevices = append(f.VirtualMFADevices, v)
	}
	sort.Slice(f.VirtualMFADevices, func(i, j int) bool {
		return f.VirtualMFADevices[i].SerialNumber < f.VirtualMFADevices[j].SerialNumber
	})
	f.Root = f.buildRoot()
	if snap.PasswordPolicy != nil {
		f.PasswordPolicy = convertPasswordPolicy(snap.PasswordPolicy)
	}
	f.buildIAM(snap)
	f.buildAccess(snap)
	f.buildPolicyFacts(snap)
	f.crossCheck(snap, badRows)
	if snap.AWSConfig != nil {
		f.AWSConfig = convertAWSConfig(snap.AWSConfig)
	}
	f.buildCompliance(snap)
	f.buildEscalation(snap)
	sortProblems(f.Problems)
	return f, nil
}

// AccountARN is the ARN of an account's root user, used as the account's
// resource identity.
func AccountARN(partition, accountID string) string {
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":iam::" + accountID + ":root"
}

func (f *Facts) markMalformed(source string, err error) {
	prev, ok := f.Sources[source]
	msg := err.Error()
	if ok && prev.Status == snapshot.StatusError && prev.ErrorMessage != "" {
		msg = prev.ErrorCode + ": " + prev.ErrorMessage + "; " + msg
	}
	f.Sources[source] = Source{Status: snapshot.StatusError, ErrorCode: ErrorCodeMalformed, ErrorMessage: msg, ErrorAction: prev.ErrorAction, Partial: prev.Partial}
}

// VirtualMFADevice is one virtual MFA device. IsRoot marks the root user's.
type VirtualMFADevice struct {
	SerialNumber string  `json:"serial_number"`
	UserARN      string  `json:"user_arn,omitempty"`
	UserName     string  `json:"user_name,omitempty"`
	EnableDate   *string `json:"enable_date"`
	IsRoot       bool    `json:"is_root"`
}

// isRootDevice recognises the root user's virtual MFA device: AWS names it
// root-account-mfa-device, and ListVirtualMFADevices reports its user as the
// account's root ARN (the root user can now also register devices under
// other names, which only the user ARN reveals).
func isRootDevice(acct Account, d snapshot.VirtualMFADevice) bool {
	if d.UserARN != "" {
		return strings.HasSuffix(d.UserARN, ":root")
	}
	return strings.HasSuffix(d.SerialNumber, ":mfa/root-account-mfa-device")
}

// Root MFA types.
const (
	RootMFANone     = "none"
	RootMFAVirtual  = "virtual"
	RootMFAHardware = "hardware"
)

// Root is the root user's credential state.
type Root struct {
	*CredentialRow
	// RootMFAType is "none", "virtual" or "hardware"; null when it cannot be
	// told (MFA is active but the virtual MFA device list is unavailable).
	RootMFAType *string `json:"root_mfa_type"`
	// VirtualMFASerials lists the root user's virtual MFA devices; null when
	// the virtual device list was not collected.
	VirtualMFASerials []string `json:"virtual_mfa_serials"`
	// HasCredentials is false only when the root user has neither a password
	// nor an active access key (for example under centralized root access),
	// per the report's root row or, when that says "not_supported", per
	// GetAccountSummary (AccountPasswordPresent and AccountAccessKeysPresent
	// both 0); null when neither tells.
	HasCredentials *bool `json:"has_credentials"`
}

func (f *Facts) buildRoot() *Root {
	if f.CredentialReport == nil || f.CredentialReport.Root == nil {
		return nil
	}
	row := f.CredentialReport.Root
	r := &Root{CredentialRow: row}
	devicesKnown := f.OK(snapshot.SourceVirtualMFADevices)
	if devicesKnown {
		r.VirtualMFASerials = []string{}
		for _, d := range f.VirtualMFADevices {
			if d.IsRoot {
				r.VirtualMFASerials = append(r.VirtualMFASerials, d.SerialNumber)
			}
		}
	}
	switch {
	case !row.MFAActive:
		r.RootMFAType = strPtr(RootMFANone)
	case !devicesKnown:
		// Active MFA, but without the device list we cannot tell which kind.
	case len(r.VirtualMFASerials) > 0:
		r.RootMFAType = strPtr(RootMFAVirtual)
	default:
		r.RootMFAType = strPtr(RootMFAHardware)
	}
	anyKey := false
	for _, k := range row.AccessKeys {
		anyKey = anyKey || k.Active
	}
	switch {
	case anyKey || (row.PasswordEnabled != nil && *row.PasswordEnabled):
		r.HasCredentials = boolPtr(true)
	case row.PasswordEnabled != nil:
		r.HasCredentials = boolPtr(false)
	case f.OK(snapshot.SourceAccountSummary) && f.summaryIs("AccountPasswordPresent", 0) && f.summaryIs("AccountAccessKeysPresent", 0):
		// The root row usually says "not_supported" for the password;
		// GetAccountSummary tells whether the root user has one.
		r.HasCredentials = boolPtr(false)
	}
	return r
}

func (f *Facts) summaryIs(key string, want int64) bool {
	v, ok := f.AccountSummary[key]
	return ok && v == want
}

// PasswordPolicy is the account password policy. Unset numbers are null.
type PasswordPolicy struct {
	MinimumPasswordLength      *int32 `json:"minimum_password_length"`
	RequireSymbols             bool   `json:"require_symbols"`
	RequireNumbers             bool   `json:"require_numbers"`
	RequireUppercaseCharacters bool   `json:"require_uppercase_characters"`
	RequireLowercaseCharacters bool   `json:"require_lowercase_characters"`
	AllowUsersToChangePassword bool   `json:"allow_users_to_change_password"`
	ExpirePasswords            bool   `json:"expire_passwords"`
	MaxPasswordAge             *int32 `json:"max_password_age"`
	PasswordReusePrevention    *int32 `json:"password_reuse_prevention"`
	HardExpiry                 *bool  `json:"hard_expiry"`
}

func convertPasswordPolicy(p *snapshot.PasswordPolicy) *PasswordPolicy {
	return &PasswordPolicy{
		MinimumPasswordLength:      p.MinimumPasswordLength,
		RequireSymbols:             p.RequireSymbols,
		RequireNumbers:             p.RequireNumbers,
		RequireUppercaseCharacters: p.RequireUppercaseCharacters,
		RequireLowercaseCharacters: p.RequireLowercaseCharacters,
		AllowUsersToChangePassword: p.AllowUsersToChangePassword,
		ExpirePasswords:            p.ExpirePasswords,
		MaxPasswordAge:             p.MaxPasswordAge,
		PasswordReusePrevention:    p.PasswordReusePrevention,
		HardExpiry:                 p.HardExpiry,
	}
}

// AWSConfig is the local AWS CLI configuration.
type AWSConfig struct {
	Dir string `json:"dir"`
	// ConfigFile and CredentialsFile are the paths read ("" when the
	// snapshot does not say); Explicit is true when the directory was named.
	ConfigFile           string `json:"config_file"`
	CredentialsFile      string `json:"credentials_file"`
	Explicit             bool   `json:"explicit"`
	CredentialsFileFound bool   `json:"credentials_file_found"`
	CredentialsFileMode  string `json:"credentials_file_mode"` // as collected, e.g. "0600"; "" when unknown
	// CredentialsFilePerm is the mode's permission bits as a number (0600 =
	// 384); null when the mode is unknown or not an octal number.
	CredentialsFilePerm *int64       `json:"credentials_file_perm"`
	ConfigFileFound     bool         `json:"config_file_found"`
	Profiles            []AWSProfile `json:"profiles"` // sorted by name
}

// AWSProfile is one CLI profile (never holds secrets).
type AWSProfile struct {
	Name              string `json:"name"`
	RoleARN           string `json:"role_arn"`
	SourceProfile     string `json:"source_profile"`
	MFASerial         string `json:"mfa_serial"`
	AccessKeyID       string `json:"access_key_id"`
	AccessKeyOwnerARN string `json:"access_key_owner_arn"`
	HasSessionToken   bool   `json:"has_session_token"`
	CredentialSource  string `json:"credential_source"`
	SSOStartURL       string `json:"sso_start_url"`
	DurationSeconds   *int32 `json:"duration_seconds"`
}

func convertAWSConfig(c *snapshot.AWSConfig) *AWSConfig {
	out := &AWSConfig{
		Dir:                  c.Dir,
		ConfigFile:           c.ConfigFile,
		CredentialsFile:      c.CredentialsFile,
		Explicit:             c.Explicit,
		CredentialsFileFound: c.CredentialsFileFound,
		CredentialsFileMode:  c.CredentialsFileMode,
		ConfigFileFound:      c.ConfigFileFound,
		Profiles:             []AWSProfile{},
	}
	if c.CredentialsFileMode != "" {
		if n, err := strconv.ParseInt(strings.TrimPrefix(c.CredentialsFileMode, "0o"), 8, 64); err == nil && n >= 0 {
			perm := n & 0o777
			out.CredentialsFilePerm = &perm
		}
	}
	for _, p := range c.Profiles {
		out.Profiles = append(out.Profiles, AWSProfile{
			Name: p.Name, RoleARN: p.RoleARN, SourceProfile: p.SourceProfile, MFASerial: p.MFASerial,
			AccessKeyID: p.AccessKeyID, AccessKeyOwnerARN: p.AccessKeyOwnerARN, HasSessionToken: p.HasSessionToken,
			CredentialSource: p.CredentialSource, SSOStartURL: p.SSOStartURL, DurationSeconds: p.DurationSeconds,
		})
	}
	sort.Slice(out.Profiles, func(i, j int) bool { return out.Profiles[i].Name < out.Profiles[j].Name })
	return out
}

// decodeDocument decodes a policy document for Rego. Numbers keep their
// literal form.
func decodeDocument(raw json.RawMessage) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("empty policy document")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("policy document is not valid JSON: %w", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errors.New("policy document is not a JSON object")
	}
	return v, nil
}

func strPtr(s string) *string { return &s }
func boolPtr(b bool) *bool    { return &b }
