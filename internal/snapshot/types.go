// Package snapshot holds the versioned, deterministic record of what was
// collected from an AWS account. It is the evidence every result points at.
package snapshot

import (
	"encoding/json"
	"sort"
	"time"
)

// SchemaV1 is the only schema this build reads and writes.
const SchemaV1 = "lockdown.snapshot/v1"

// Source names. Checks name these in their METADATA `requires`.
const (
	SourceCallerIdentity       = "caller_identity"
	SourceCredentialReport     = "credential_report"
	SourceAccountSummary       = "account_summary"
	SourcePasswordPolicy       = "password_policy"
	SourceAccountAliases       = "account_aliases"
	SourceVirtualMFADevices    = "virtual_mfa_devices"
	SourceAuthorizationDetails = "authorization_details"
	SourceAWSConfig            = "aws_config" // local ~/.aws files (never secrets)

	// Sources beyond IAM, for the compliance frameworks. The regional ones
	// (access_analyzers, ec2_instances) record each region's own error, so
	// one region that fails leaves only that region unknown.
	SourceServerCertificates    = "server_certificates"
	SourceRegions               = "regions"
	SourceAccessAnalyzers       = "access_analyzers"
	SourceSecurityContact       = "security_contact"
	SourceEC2Instances          = "ec2_instances"
	SourceOrganizationsFeatures = "organizations_features"

	// Inventory for the privilege-escalation paths through existing
	// resources (regional, same error rule): Lambda functions and the
	// execution role each runs with.
	SourceLambdaFunctions = "lambda_functions"

	// The account's place in its AWS Organization and the service and
	// resource control policies over it. Only the management account or a
	// delegated administrator can read them; an organisation audit reads
	// them once there and gives each member's snapshot its own view.
	SourceOrganization = "organization"
)

// Sources lists every source name this build knows, in collection order.
var Sources = []string{
	SourceCallerIdentity, SourceCredentialReport, SourceAccountSummary,
	SourcePasswordPolicy, SourceAccountAliases, SourceVirtualMFADevices,
	SourceAuthorizationDetails, SourceAWSConfig,
	SourceServerCertificates, SourceRegions, SourceAccessAnalyzers,
	SourceSecurityContact, SourceEC2Instances, SourceOrganizationsFeatures,
	SourceLambdaFunctions, SourceOrganization,
}

// SourceActions are the API actions behind each source, named when a
// source's error does not record the action that failed.
var SourceActions = map[string]string{
	SourceAuthorizationDetails:  "iam:GetAccountAuthorizationDetails",
	SourceCredentialReport:      "iam:GetCredentialReport",
	SourceAccountSummary:        "iam:GetAccountSummary",
	SourcePasswordPolicy:        "iam:GetAccountPasswordPolicy",
	SourceVirtualMFADevices:     "iam:ListVirtualMFADevices",
	SourceAccountAliases:        "iam:ListAccountAliases",
	SourceCallerIdentity:        "sts:GetCallerIdentity",
	SourceServerCertificates:    "iam:ListServerCertificates",
	SourceRegions:               "account:ListRegions",
	SourceAccessAnalyzers:       "access-analyzer:ListAnalyzers",
	SourceSecurityContact:       "account:GetAlternateContact",
	SourceEC2Instances:          "ec2:DescribeInstances",
	SourceOrganizationsFeatures: "iam:ListOrganizationsFeatures",
	SourceLambdaFunctions:       "lambda:ListFunctions",
	SourceOrganization:          "organizations:ListPoliciesForTarget",
}

// Snapshot is the root document.
type Snapshot struct {
	Schema      string    `json:"schema"`
	Generator   Generator `json:"generator"`
	CollectedAt time.Time `json:"collected_at"`
	Account     Account   `json:"account"`
	Caller      *Caller   `json:"caller,omitempty"`
	// Sources records, per source, whether it was collected completely.
	// A source missing from this map was never attempted.
	Sources map[string]SourceStatus `json:"sources"`

	CredentialReport  *CredentialReport  `json:"credential_report,omitempty"`
	AccountSummary    map[string]int64   `json:"account_summary,omitempty"`
	PasswordPolicy    *PasswordPolicy    `json:"password_policy,omitempty"` // nil with status ok: no policy set
	VirtualMFADevices []VirtualMFADevice `json:"virtual_mfa_devices,omitempty"`
	Users             []User             `json:"users,omitempty"`
	Groups            []Group            `json:"groups,omitempty"`
	Roles             []Role             `json:"roles,omitempty"`
	Policies          []ManagedPolicy    `json:"policies,omitempty"`
	AWSConfig         *AWSConfig         `json:"aws_config,omitempty"`

	ServerCertificates []ServerCertificate `json:"server_certificates,omitempty"`
	// Regions are the regions enabled for the account; the regional
	// sources were collected in each of them.
	Regions         []Region               `json:"regions,omitempty"`
	AccessAnalyzers []AccessAnalyzerRegion `json:"access_analyzers,omitempty"`
	// SecurityContact is nil with status ok when no security alternate
	// contact is registered.
	SecurityContact *AlternateContact `json:"security_contact,omitempty"`
	EC2Instances    []EC2Region       `json:"ec2_instances,omitempty"`
	// OrganizationsFeatures is nil with status ok when the account is in no
	// organization (or the organization enables no feature).
	OrganizationsFeatures *OrganizationsFeatures `json:"organizations_features,omitempty"`
	LambdaFunctions       []LambdaRegion         `json:"lambda_functions,omitempty"`
	// Organization is nil with status ok when the account is in no
	// organization.
	Organization *Organization `json:"organization,omitempty"`
}

// Generator names the program that wrote the snapshot.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Account identifies the audited account.
type Account struct {
	ID        string   `json:"id"`
	Partition string   `json:"partition"` // aws, aws-cn, aws-us-gov
	Aliases   []string `json:"aliases,omitempty"`
}

// Caller is who ran the collection (sts:GetCallerIdentity).
type Caller struct {
	ARN     string `json:"arn"`
	UserID  string `json:"user_id"`
	Account string `json:"account"`
}

// Status values for SourceStatus.Status.
const (
	StatusOK    = "ok"
	StatusError = "error"
)

// SourceStatus says whether a source was collected completely. A source with
// status "error" keeps whatever data it had got before the error.
type SourceStatus struct {
	Status string       `json:"status"`
	Error  *SourceError `json:"error,omitempty"`
	// Requests is how many API requests the source made (pages, polls, retries excluded).
	Requests int `json:"requests,omitempty"`
	// Partial is true when some data was kept despite the error.
	Partial bool   `json:"partial,omitempty"`
	Note    string `json:"note,omitempty"`
}

// SourceError is the AWS error code and message that stopped a source.
type SourceError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Action is the API action that failed, e.g. iam:GetAccountAuthorizationDetails.
	Action string `json:"action,omitempty"`
}

// OK reports whether the source was collected completely.
func (s *Snapshot) OK(source string) bool {
	st, ok := s.Sources[source]
	return ok && st.Status == StatusOK
}

// FailedSources lists, sorted, the sources that were attempted and did not
// complete (status other than ok).
func (s *Snapshot) FailedSources() []string {
	var out []string
	for name, st := range s.Sources {
		if st.Status != StatusOK {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// CredentialReport keeps the IAM credential report as AWS delivered it:
// one map per CSV row keyed by header name, values verbatim ("N/A",
// "no_information", "not_supported" included). Parsing happens in facts.
type CredentialReport struct {
	GeneratedTime time.Time           `json:"generated_time"`
	Columns       []string            `json:"columns"`
	Rows          []map[string]string `json:"rows"`
}

// PasswordPolicy mirrors iam.GetAccountPasswordPolicy. Pointer fields are
// absent when AWS did not return them.
type PasswordPolicy struct {
	MinimumPasswordLength      *int32 `json:"minimum_password_length,omitempty"`
	RequireSymbols             bool   `json:"require_symbols"`
	RequireNumbers             bool   `json:"require_numbers"`
	RequireUppercaseCharacters bool   `json:"require_uppercase_characters"`
	RequireLowercaseCharacters bool   `json:"require_lowercase_characters"`
	AllowUsersToChangePassword bool   `json:"allow_users_to_change_password"`
	ExpirePasswords            bool   `json:"expire_passwords"`
	MaxPasswordAge             *int32 `json:"max_password_age,omitempty"`
	PasswordReusePrevention    *int32 `json:"password_reuse_prevention,omitempty"`
	HardExpiry                 *bool  `json:"hard_expiry,omitempty"`
}

// VirtualMFADevice is one entry of ListVirtualMFADevices. Seeds and QR codes
// are never kept.
type VirtualMFADevice struct {
	SerialNumber string     `json:"serial_number"`
	UserARN      string     `json:"user_arn,omitempty"`
	UserName     string     `json:"user_name,omitempty"`
	EnableDate   *time.Time `json:"enable_date,omitempty"`
}

// Tag is an IAM tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// AttachedPolicy is a managed policy attachment.
type AttachedPolicy struct {
	Name string `json:"name"`
	ARN  string `json:"arn"`
}

// InlinePolicy is an embedded policy with its decoded document.
type InlinePolicy struct {
	Name     string          `json:"name"`
	Document json.RawMessage `json:"document"`
}

// PermissionsBoundary is the managed policy used as a boundary.
type PermissionsBoundary struct {
	Type string `json:"type"` // "Policy" (PermissionsBoundaryAttachmentType)
	ARN  string `json:"arn"`
}

// User is an IAM user from GetAccountAuthorizationDetails.
type User struct {
	Name                string               `json:"name"`
	ID                  string               `json:"id"`
	ARN                 string               `json:"arn"`
	Path                string               `json:"path"`
	CreateDate          time.Time            `json:"create_date"`
	Groups              []string             `json:"groups,omitempty"` // group names
	AttachedPolicies    []AttachedPolicy     `json:"attached_policies,omitempty"`
	InlinePolicies      []InlinePolicy       `json:"inline_policies,omitempty"`
	PermissionsBoundary *PermissionsBoundary `json:"permissions_boundary,omitempty"`
	Tags                []Tag                `json:"tags,omitempty"`
}

// Group is an IAM group.
type Group struct {
	Name             string           `json:"name"`
	ID               string           `json:"id"`
	ARN              string           `json:"arn"`
	Path             string           `json:"path"`
	CreateDate       time.Time        `json:"create_date"`
	AttachedPolicies []AttachedPolicy `json:"attached_policies,omitempty"`
	InlinePolicies   []InlinePolicy   `json:"inline_policies,omitempty"`
}

// RoleLastUsed is when and where a role was last assumed.
type RoleLastUsed struct {
	LastUsedDate *time.Time `json:"last_used_date,omitempty"`
	Region       string     `json:"region,omitempty"`
}

// Role is an IAM role.
type Role struct {
	Name                     string               `json:"name"`
	ID                       string               `json:"id"`
	ARN                      string               `json:"arn"`
	Path                     string               `json:"path"`
	CreateDate               time.Time            `json:"create_date"`
	Description              string               `json:"description,omitempty"`
	MaxSessionDuration       *int32               `json:"max_session_duration,omitempty"` // seconds
	AssumeRolePolicyDocument json.RawMessage      `json:"assume_role_policy_document,omitempty"`
	AttachedPolicies         []AttachedPolicy     `json:"attached_policies,omitempty"`
	InlinePolicies           []InlinePolicy       `json:"inline_policies,omitempty"`
	PermissionsBoundary      *PermissionsBoundary `json:"permissions_boundary,omitempty"`
	Tags                     []Tag                `json:"tags,omitempty"`
	RoleLastUsed             *RoleLastUsed        `json:"role_last_used,omitempty"`
	InstanceProfiles         []string             `json:"instance_profiles,omitempty"` // instance profile ARNs
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	VersionID        string          `json:"version_id"`
	IsDefaultVersion bool            `json:"is_default_version"`
	CreateDate       time.Time       `json:"create_date"`
	Document         json.RawMessage `json:"document"`
}

// ManagedPolicy is a customer or AWS managed policy that is attached or
// local to the account (GetAccountAuthorizationDetails, filter LocalManagedPolicy
// and AWSManagedPolicy).
type ManagedPolicy struct {
	Name                          string          `json:"name"`
	ID                            string          `json:"id"`
	ARN                           string          `json:"arn"`
	Path                          string          `json:"path"`
	DefaultVersionID              string          `json:"default_version_id"`
	AttachmentCount               int32           `json:"attachment_count"`
	PermissionsBoundaryUsageCount int32           `json:"permissions_boundary_usage_count"`
	IsAttachable                  bool            `json:"is_attachable"`
	Description                   string          `json:"description,omitempty"`
	CreateDate                    time.Time       `json:"create_date"`
	UpdateDate                    time.Time       `json:"update_date"`
	Versions                      []PolicyVersion `json:"versions"`
}

// DefaultDocument returns the default version's document, or nil.
func (p *ManagedPolicy) DefaultDocument() json.RawMessage {
	for _, v := range p.Versions {
		if v.IsDefaultVersion || v.VersionID == p.DefaultVersionID {
			return v.Document
		}
	}
	return nil
}

// AWSConfig is what lockdown read from the local AWS CLI configuration:
// profile settings and access key IDs only, never secret keys or tokens.
type AWSConfig struct {
	Dir string `json:"dir"`
	// ConfigFile and CredentialsFile are the paths read, as the SDK picks
	// them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, or Dir).
	ConfigFile      string `json:"config_file,omitempty"`
	CredentialsFile string `json:"credentials_file,omitempty"`
	// Explicit is true when the user named the directory (--aws-config-dir):
	// the local checks then apply even where no file exists.
	Explicit             bool         `json:"explicit,omitempty"`
	CredentialsFileMode  string       `json:"credentials_file_mode,omitempty"` // e.g. "0600"
	CredentialsFileFound bool         `json:"credentials_file_found"`
	ConfigFileFound      bool         `json:"config_file_found"`
	Profiles             []AWSProfile `json:"profiles,omitempty"`
}

// AWSProfile is one profile merged from the config and credentials files.
type AWSProfile struct {
	Name          string `json:"name"`
	RoleARN       string `json:"role_arn,omitempty"`
	SourceProfile string `json:"source_profile,omitempty"`
	MFASerial     string `json:"mfa_serial,omitempty"`
	AccessKeyID   string `json:"access_key_id,omitempty"`
	// AccessKeyOwnerARN is the identity that owns AccessKeyID when known
	// (from the credential report or sts:GetCallerIdentity).
	AccessKeyOwnerARN string `json:"access_key_owner_arn,omitempty"`
	HasSessionToken   bool   `json:"has_session_token,omitempty"`
	CredentialSource  string `json:"credential_source,omitempty"`
	SSOStartURL       string `json:"sso_start_url,omitempty"`
	DurationSeconds   *int32 `json:"duration_seconds,omitempty"`
}

// ServerCertificate is one entry of iam:ListServerCertificates (metadata
// only; the certificate body is never kept).
type ServerCertificate struct {
	Name       string     `json:"name"`
	ID         string     `json:"id"`
	ARN        string     `json:"arn"`
	Path       string     `json:"path"`
	UploadDate *time.Time `json:"upload_date,omitempty"`
	Expiration *time.Time `json:"expiration,omitempty"`
}

// Region is a region enabled for the account (account:ListRegions).
type Region struct {
	Name string `json:"name"`
	// OptStatus is ENABLED or ENABLED_BY_DEFAULT.
	OptStatus string `json:"opt_status,omitempty"`
}

// AccessAnalyzerRegion is what access-analyzer:ListAnalyzers returned in one
// region. Error is set when that region could not be read completely; the
// analyzers read before the error are kept.
type AccessAnalyzerRegion struct {
	Region    string           `json:"region"`
	Error     *SourceError     `json:"error,omitempty"`
	Requests  int              `json:"requests,omitempty"`
	Analyzers []AccessAnalyzer `json:"analyzers"`
}

// AccessAnalyzer is one IAM Access Analyzer analyzer.
type AccessAnalyzer struct {
	Name string `json:"name"`
	ARN  string `json:"arn"`
	// Type is ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS,
	// ORGANIZATION_UNUSED_ACCESS, ACCOUNT_INTERNAL_ACCESS or
	// ORGANIZATION_INTERNAL_ACCESS.
	Type string `json:"type"`
	// Status is ACTIVE, CREATING, DISABLED or FAILED.
	Status       string     `json:"status"`
	StatusReason string     `json:"status_reason,omitempty"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	Tags         []Tag      `json:"tags,omitempty"`
}

// AlternateContact is an account's alternate contact (account:GetAlternateContact).
type AlternateContact struct {
	Type  string `json:"type"` // SECURITY
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// EC2Region is what ec2:DescribeInstances returned in one region, with the
// same error rule as AccessAnalyzerRegion.
type EC2Region struct {
	Region    string        `json:"region"`
	Error     *SourceError  `json:"error,omitempty"`
	Requests  int           `json:"requests,omitempty"`
	Instances []EC2Instance `json:"instances"`
}

// EC2Instance is the part of an EC2 instance the IAM controls read.
type EC2Instance struct {
	ID string `json:"id"`
	// State is the instance state name: pending, running, stopping,
	// stopped, shutting-down or terminated.
	State string `json:"state"`
	// InstanceProfileARN is empty when no instance profile is associated.
	InstanceProfileARN string     `json:"instance_profile_arn,omitempty"`
	LaunchTime         *time.Time `json:"launch_time,omitempty"`
}

// LambdaRegion is what lambda:ListFunctions returned in one region, with the
// same error rule as AccessAnalyzerRegion.
type LambdaRegion struct {
	Region    string           `json:"region"`
	Error     *SourceError     `json:"error,omitempty"`
	Requests  int              `json:"requests,omitempty"`
	Functions []LambdaFunction `json:"functions"`
}

// LambdaFunction is the part of a Lambda function the escalation paths read:
// the role it runs with (never its code, environment or configuration).
type LambdaFunction struct {
	ARN  string `json:"arn"`
	Name string `json:"name"`
	// Role is the execution role's ARN.
	Role string `json:"role"`
}

// Organization is the audited account's AWS Organization as its policies
// see it: the chain of levels from the root down to the account, and the
// service control policies (SCPs) and resource control policies (RCPs)
// attached at each.
type Organization struct {
	ID                  string `json:"id"` // o-...
	ManagementAccountID string `json:"management_account_id"`
	// PolicyTypes are the policy types enabled at the root
	// (SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY); a type that is
	// not enabled applies nowhere, whatever is attached.
	PolicyTypes []string `json:"policy_types"`
	// Path is the root, each OU and the account itself, in that order.
	Path []OrgNode `json:"path"`
	// Policies are the policies the path's nodes name, sorted by ID.
	Policies []OrgPolicy `json:"policies"`
}

// Organization policy types.
const (
	OrgPolicySCP = "SERVICE_CONTROL_POLICY"
	OrgPolicyRCP = "RESOURCE_CONTROL_POLICY"
)

// OrgNode is one level of an organization.
type OrgNode struct {
	ID   string `json:"id"`   // r-..., ou-...-... or the 12-digit account ID
	Type string `json:"type"` // ROOT, ORGANIZATIONAL_UNIT or ACCOUNT
	Name string `json:"name,omitempty"`
	// SCPs and RCPs are the IDs of the policies attached directly here.
	SCPs []string `json:"scps"`
	RCPs []string `json:"rcps"`
}

// OrgPolicy is one SCP or RCP (organizations:DescribePolicy).
type OrgPolicy struct {
	ID         string          `json:"id"` // p-... (p-FullAWSAccess for the AWS managed one)
	ARN        string          `json:"arn"`
	Name       string          `json:"name"`
	Type       string          `json:"type"` // OrgPolicySCP or OrgPolicyRCP
	AWSManaged bool            `json:"aws_managed"`
	Document   json.RawMessage `json:"document"`
}

// OrganizationsFeatures is iam:ListOrganizationsFeatures: the centralised
// root access features enabled for the organization.
type OrganizationsFeatures struct {
	OrganizationID string `json:"organization_id,omitempty"`
	// EnabledFeatures holds RootCredentialsManagement and/or RootSessions.
	EnabledFeatures []string `json:"enabled_features"`
}
