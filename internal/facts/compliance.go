package facts

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/redact"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The sources beyond IAM that the compliance frameworks read: server
// certificates, the enabled regions, IAM Access Analyzer and EC2 instances
// per region, the security alternate contact and the Organizations
// centralised root access features.
//
// Regional sources (access_analyzers, ec2_instances) follow one rule, so
// that one failed region never blanks out the good ones and never reads as
// a pass:
//
//   - the regions judged are the enabled regions (source regions) plus any
//     region the source has an entry for;
//   - a region whose entry carries an error, or an enabled region with no
//     entry at all, is unknown: it is listed in analyzer_unknown or ec2_unknown
//     (with the API error code, action and message) and is one Problem
//     (item "region <name>", resource the account), so the checks say
//     NOT_ASSESSED for that region only and the engine names the error as
//     the cause;
//   - when the snapshot marks the source "error" and every failure is
//     accounted for region by region (some region is unknown, some other
//     region answered) while the region list itself is complete, the source
//     is usable: its status here
//     is "ok" with partial true (its error fields kept), so that custom.requires
//     lets the checks run and judge the regions that answered;
//   - a source marked "error" whose failure no region explains, in which
//     no region answered, or whose region list failed stays "error": every
//     check requiring it is NOT_ASSESSED as a whole, naming the source's
//     error.
//
// Items that were read in an unknown region (analyzers, instances listed
// before the error) are still facts and are judged one by one; only the
// region as a whole is not.

// Feature names of iam:ListOrganizationsFeatures.
const (
	FeatureRootCredentialsManagement = "RootCredentialsManagement"
	FeatureRootSessions              = "RootSessions"
)

// RegionUnknown is a region a regional source could not read completely.
type RegionUnknown struct {
	Region string `json:"region"`
	Code   string `json:"code"`   // the API error code, or IncompleteData when the region has no entry
	Action string `json:"action"` // the API action that failed
	Reason string `json:"reason"` // one sentence, redacted
}

// ServerCertificate is one IAM server certificate (metadata only).
type ServerCertificate struct {
	Name       string  `json:"name"`
	ID         string  `json:"id"`
	ARN        string  `json:"arn"`
	Path       string  `json:"path"`
	UploadDate *string `json:"upload_date"`
	// Expiration is RFC 3339 UTC; null when the snapshot does not give it.
	Expiration *string `json:"expiration"`
	// Expired is true when Expiration is before collection time; null
	// when Expiration is unknown.
	Expired *bool `json:"expired"`
}

// AnalyzerRegion is what one region's IAM Access Analyzer listed.
type AnalyzerRegion struct {
	Region    string     `json:"region"`
	Analyzers []Analyzer `json:"analyzers"` // sorted by ARN
}

// Analyzer is one IAM Access Analyzer analyzer.
type Analyzer struct {
	Name         string `json:"name"`
	ARN          string `json:"arn"`
	Region       string `json:"region"`
	Type         string `json:"type"`
	Status       string `json:"status"`
	StatusReason string `json:"status_reason"`
	// ExternalAccess is true for the external-access analyzer types
	// (ACCOUNT, ORGANIZATION); unused-access and internal-access analyzers
	// are false.
	ExternalAccess bool              `json:"external_access"`
	Tags           map[string]string `json:"tags"`
	// UserTagKeys are the tag keys other than AWS's system tags (aws:...),
	// sorted.
	UserTagKeys []string `json:"user_tag_keys"`
}

// InstanceRegion is what one region's ec2:DescribeInstances listed.
type InstanceRegion struct {
	Region    string        `json:"region"`
	Instances []EC2Instance `json:"instances"` // sorted by ID
}

// EC2Instance is one EC2 instance.
type EC2Instance struct {
	ID     string `json:"id"`
	ARN    string `json:"arn"` // arn:<partition>:ec2:<region>:<account>:instance/<id>
	Region string `json:"region"`
	State  string `json:"state"`
	// InstanceProfileARN is "" when no instance profile is associated.
	InstanceProfileARN string  `json:"instance_profile_arn"`
	LaunchTime         *string `json:"launch_time"`
}

// SecurityContact is the account's security alternate contact.
type SecurityContact struct {
	// Registered is false when GetAlternateContact found no SECURITY
	// contact.
	Registered bool   `json:"registered"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	Email      string `json:"email"`
}

// OrganizationsFeatures is what iam:ListOrganizationsFeatures answered about
// centralised root access.
//
// "Not in an organization" means the API said so: OrganizationNotFound (as
// the source's error code or in its note). The answers OrganizationNotInAll-
// FeaturesMode and ServiceAccessNotEnabled mean the account is in an
// organization where centralised root access cannot be enabled, so no
// feature is. AccountNotManagementOrDelegatedAdministrator (and any other
// answer that says nothing about the features) leaves the features unknown:
// Known is false and a Problem names the answer. Any other error keeps the
// source failed.
type OrganizationsFeatures struct {
	// Known is true when the features enabled are known (possibly none).
	Known bool `json:"known"`
	// InOrganization is null when the snapshot does not tell.
	InOrganization            *bool    `json:"in_organization"`
	OrganizationID            string   `json:"organization_id"`
	EnabledFeatures           []string `json:"enabled_features"`
	RootCredentialsManagement bool     `json:"root_credentials_management"`
	RootSessions              bool     `json:"root_sessions"`
	// AnswerCode and AnswerMessage are the API's answer when it was an
	// error code that decides (or leaves open) the question, "" otherwise.
	AnswerCode    string `json:"answer_code"`
	AnswerMessage string `json:"answer_message"`
}

// Error codes of iam:ListOrganizationsFeatures (the SDK may add the
// "Exception" suffix).
const (
	orgCodeNotFound         = "OrganizationNotFound"
	orgCodeNotAllFeatures   = "OrganizationNotInAllFeaturesMode"
	orgCodeNoServiceAccess  = "ServiceAccessNotEnabled"
	orgCodeNotManagement    = "AccountNotManagementOrDelegatedAdministrator"
	contactCodeNotFound     = "ResourceNotFound"
	awsSystemTagPrefix      = "aws:"
	problemItemOrgFeatures  = "centralised root access features"
	problemItemRegionPrefix = "region "
)

// errorCode returns code without the SDK's "Exception" suffix.
func errorCode(code string) string { return strings.TrimSuffix(code, "Exception") }

func (f *Facts) buildCompliance(snap *snapshot.Snapshot) {
	f.ServerCertificates = []ServerCertificate{}
	for _, c := range snap.ServerCertificates {
		sc := ServerCertificate{Name: c.Name, ID: c.ID, ARN: c.ARN, Path: c.Path, UploadDate: timeString(c.UploadDate)}
		if c.Expiration != nil {
			sc.Expiration = timeString(c.Expiration)
			sc.Expired = boolPtr(c.Expiration.Before(snap.CollectedAt))
		}
		f.ServerCertificates = append(f.ServerCertificates, sc)
	}
	sort.Slice(f.ServerCertificates, func(i, j int) bool { return f.ServerCertificates[i].ARN < f.ServerCertificates[j].ARN })

	if f.OK(snapshot.SourceRegions) {
		f.Regions = []string{}
		seen := map[string]bool{}
		for _, r := range snap.Regions {
			if r.Name != "" && !seen[r.Name] {
				seen[r.Name] = true
				f.Regions = append(f.Regions, r.Name)
			}
		}
		sort.Strings(f.Regions)
	}
	f.buildAnalyzers(snap)
	f.buildInstances(snap)
	f.buildSecurityContact(snap)
	f.buildOrganizationsFeatures(snap)
}

// regionalEntry is the part of a regional source's entry the unknown rule reads.
type regionalEntry struct {
	region string
	err    *snapshot.SourceError
}

// regional applies the regional rule (see the top of this file) to one
// source: it returns the regions to judge and fills unknown, the Problems
// and the source's status.
func (f *Facts) regional(source string, entries []regionalEntry, unknown map[string]*RegionUnknown) []string {
	st, collected := f.Sources[source]
	regions := map[string]bool{}
	for _, r := range f.Regions {
		regions[r] = true
	}
	hasEntry := map[string]bool{}
	answered := 0 // entries without an error
	for _, e := range entries {
		if e.region == "" {
			continue
		}
		regions[e.region] = true
		hasEntry[e.region] = true
		if e.err == nil {
			answered++
		}
		if e.err != nil {
			action := e.err.Action
			if action == "" {
				action = snapshot.SourceActions[source]
			}
			code := e.err.Code
			if code == "" {
				code = "Error"
			}
			msg := redact.String(e.err.Message)
			reason := fmt.Sprintf("%s failed in %s (%s: %s)", action, e.region, code, msg)
			if prev, dup := unknown[e.region]; dup {
				prev.Reason += "; " + reason
				continue
			}
			unknown[e.region] = &RegionUnknown{Region: e.region, Code: code, Action: action, Reason: reason}
		}
	}
	if collected && f.Regions != nil {
		for _, r := range f.Regions {
			if hasEntry[r] {
				continue
			}
			reason := fmt.Sprintf("%s has no result for %s, an enabled region", snapshot.SourceActions[source], r)
			if st.Status != snapshot.StatusOK && (st.ErrorCode != "" || st.ErrorMessage != "") {
				reason += fmt.Sprintf(" (the source failed: %s: %s)", st.ErrorCode, st.ErrorMessage)
			}
			unknown[r] = &RegionUnknown{Region: r, Code: ErrorCodeIncomplete, Action: snapshot.SourceActions[source], Reason: reason}
		}
	}
	if collected && st.Status == snapshot.StatusError && st.ErrorCode != ErrorCodeMalformed && len(unknown) > 0 && answered > 0 && f.OK(snapshot.SourceRegions) {
		st.Status, st.Partial = snapshot.StatusOK, true
		f.Sources[source] = st
	}
	if f.OK(source) {
		names := make([]string, 0, len(unknown))
		for r := range unknown {
			names = append(names, r)
		}
		sort.Strings(names)
		for _, r := range names {
			u := unknown[r]
			f.addProblem(Problem{Source: source, Item: problemItemRegionPrefix + r, Resources: []string{f.Account.ARN},
				Code: u.Code, Message: u.Reason})
		}
	}
	out := make([]string, 0, len(regions))
	for r := range regions {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func (f *Facts) buildAnalyzers(snap *snapshot.Snapshot) {
	f.AccessAnalyzers = map[string]*AnalyzerRegion{}
	f.AccessAnalyzerUnknown = map[string]*RegionUnknown{}
	var entries []regionalEntry
	for _, e := range snap.AccessAnalyzers {
		entries = append(entries, regionalEntry{region: e.Region, err: e.Error})
	}
	for _, r := range f.regional(snapshot.SourceAccessAnalyzers, entries, f.AccessAnalyzerUnknown) {
		f.AccessAnalyzers[r] = &AnalyzerRegion{Region: r, Analyzers: []Analyzer{}}
	}
	for _, e := range snap.AccessAnalyzers {
		ar := f.AccessAnalyzers[e.Region]
		if ar == nil {
			continue
		}
		for _, a := range e.Analyzers {
			an := Analyzer{Name: a.Name, ARN: a.ARN, Region: e.Region, Type: a.Type, Status: a.Status,
				StatusReason: a.StatusReason, ExternalAccess: a.Type == "ACCOUNT" || a.Type == "ORGANIZATION",
				Tags: map[string]string{}, UserTagKeys: []string{}}
			for _, t := range a.Tags {
				an.Tags[t.Key] = t.Value
				if !strings.HasPrefix(t.Key, awsSystemTagPrefix) {
					an.UserTagKeys = append(an.UserTagKeys, t.Key)
				}
			}
			sort.Strings(an.UserTagKeys)
			ar.Analyzers = append(ar.Analyzers, an)
		}
		sort.Slice(ar.Analyzers, func(i, j int) bool { return ar.Analyzers[i].ARN < ar.Analyzers[j].ARN })
	}
}

func (f *Facts) buildInstances(snap *snapshot.Snapshot) {
	f.EC2Instances = map[string]*InstanceRegion{}
	f.EC2Unknown = map[string]*RegionUnknown{}
	var entries []regionalEntry
	for _, e := range snap.EC2Instances {
		entries = append(entries, regionalEntry{region: e.Region, err: e.Error})
	}
	for _, r := range f.regional(snapshot.SourceEC2Instances, entries, f.EC2Unknown) {
		f.EC2Instances[r] = &InstanceRegion{Region: r, Instances: []EC2Instance{}}
	}
	for _, e := range snap.EC2Instances {
		ir := f.EC2Instances[e.Region]
		if ir == nil {
			continue
		}
		for _, in := range e.Instances {
			ir.Instances = append(ir.Instances, EC2Instance{
				ID: in.ID, Region: e.Region, State: in.State, InstanceProfileARN: in.InstanceProfileARN,
				ARN:        fmt.Sprintf("arn:%s:ec2:%s:%s:instance/%s", f.Account.Partition, e.Region, f.Account.ID, in.ID),
				LaunchTime: timeString(in.LaunchTime),
			})
		}
		sort.Slice(ir.Instances, func(i, j int) bool { return ir.Instances[i].ID < ir.Instances[j].ID })
	}
}

func (f *Facts) buildSecurityContact(snap *snapshot.Snapshot) {
	st, collected := f.Sources[snapshot.SourceSecurityContact]
	if collected && st.Status == snapshot.StatusError && errorCode(st.ErrorCode) == contactCodeNotFound {
		// GetAlternateContact answers ResourceNotFoundException when no
		// contact of the type is registered: an answer, not a failure.
		f.Sources[snapshot.SourceSecurityContact] = Source{Status: snapshot.StatusOK}
	}
	if !f.OK(snapshot.SourceSecurityContact) {
		return
	}
	c := snap.SecurityContact
	if c == nil || (c.Type != "" && c.Type != "SECURITY") {
		f.SecurityContact = &SecurityContact{}
		return
	}
	f.SecurityContact = &SecurityContact{Registered: true, Name: c.Name, Title: c.Title, Email: strings.TrimSpace(c.Email)}
}

func (f *Facts) buildOrganizationsFeatures(snap *snapshot.Snapshot) {
	src := snapshot.SourceOrganizationsFeatures
	st, collected := f.Sources[src]
	if !collected {
		return
	}
	o := &OrganizationsFeatures{EnabledFeatures: []string{}}
	var code, msg string
	switch {
	case st.Status == snapshot.StatusError:
		code, msg = st.ErrorCode, st.ErrorMessage
	case snap.OrganizationsFeatures == nil:
		code, msg = noteCode(snap.Sources[src].Note), redact.String(snap.Sources[src].Note)
	}
	switch errorCode(code) {
	case "":
		if st.Status != snapshot.StatusOK {
			return
		}
		if of := snap.OrganizationsFeatures; of != nil {
			o.Known, o.InOrganization, o.OrganizationID = true, boolPtr(true), of.OrganizationID
			o.EnabledFeatures = append(o.EnabledFeatures, of.EnabledFeatures...)
			sort.Strings(o.EnabledFeatures)
		} else {
			// Nothing returned and nothing said: the snapshot does not
			// tell an account outside any organization from one whose
			// organization enables no feature.
			f.addProblem(Problem{Source: src, Item: problemItemOrgFeatures, Resources: []string{f.Account.ARN}, Code: ErrorCodeIncomplete,
				Message: "iam:ListOrganizationsFeatures returned no organization and the snapshot does not say why, so whether the account is in an organization is unknown"})
		}
	case orgCodeNotFound:
		o.Known, o.InOrganization = true, boolPtr(false)
	case orgCodeNotAllFeatures, orgCodeNoServiceAccess:
		o.Known, o.InOrganization = true, boolPtr(true)
	case orgCodeNotManagement:
		o.InOrganization = boolPtr(true)
		f.addProblem(Problem{Source: src, Item: problemItemOrgFeatures, Resources: []string{f.Account.ARN}, Code: code,
			Message: "iam:ListOrganizationsFeatures answers only in the organization's management account or the delegated administrator for centralised root access (" + code + ": " + msg + ")"})
	default:
		return // a failure, not an answer: the source stays failed
	}
	if code != "" {
		o.AnswerCode, o.AnswerMessage = code, msg
	}
	for _, ft := range o.EnabledFeatures {
		o.RootCredentialsManagement = o.RootCredentialsManagement || ft == FeatureRootCredentialsManagement
		o.RootSessions = o.RootSessions || ft == FeatureRootSessions
	}
	if st.Status != snapshot.StatusOK {
		// The error was the API's answer (see OrganizationsFeatures).
		f.Sources[src] = Source{Status: snapshot.StatusOK, ErrorCode: st.ErrorCode, ErrorMessage: st.ErrorMessage, ErrorAction: st.ErrorAction}
	}
	f.OrganizationsFeatures = o
}

// noteCode finds a known ListOrganizationsFeatures error code in a source
// note ("" when none).
func noteCode(note string) string {
	for _, c := range []string{orgCodeNotManagement, orgCodeNotAllFeatures, orgCodeNoServiceAccess, orgCodeNotFound} {
		if strings.Contains(note, c) {
			return c
		}
	}
	return ""
}

func timeString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}
