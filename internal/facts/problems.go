package facts

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Problem is one item of a source that could not be used: a credential
// report row with an unexpected cell, a policy IAM would reject, a user that
// one source lists and another does not. Only the checks and resources that
// depend on the item are NOT_ASSESSED; the rest of the source is used.
type Problem struct {
	Source string `json:"source"` // the snapshot source the item belongs to (or is missing from)
	Item   string `json:"item"`   // the item, e.g. "credential report line 4 (bob)"
	// Resources are the ARNs of the entities the problem leaves unknown
	// (users, groups, roles, or the account for the root row), sorted.
	Resources []string `json:"resources"`
	// Code is MalformedData for an item that is there but unusable, and
	// IncompleteData for one that a source refers to (or another source
	// lists) but that is not described.
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorCodeIncomplete is the code of a problem whose item is missing.
const ErrorCodeIncomplete = "IncompleteData"

// Unknown is an entity some checks cannot judge, and why.
type Unknown struct {
	ARN    string `json:"arn"`
	Name   string `json:"name"`
	Type   string `json:"type"` // AWS::IAM::User, AWS::IAM::Group or AWS::IAM::Role
	Reason string `json:"reason"`
}

// Resource types of unknown entities.
const (
	TypeUser  = "AWS::IAM::User"
	TypeGroup = "AWS::IAM::Group"
	TypeRole  = "AWS::IAM::Role"
)

func (f *Facts) addProblem(p Problem) {
	sort.Strings(p.Resources)
	f.Problems = append(f.Problems, p)
}

func unknownEntry(m map[string]*Unknown, arn, name, typ, reason string) {
	if _, ok := m[arn]; ok {
		return
	}
	if name == "" {
		name = nameFromARN(arn)
	}
	m[arn] = &Unknown{ARN: arn, Name: name, Type: typ, Reason: reason}
}

func nameFromARN(arn string) string {
	if i := strings.LastIndex(arn, "/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// reportAge phrases how old the credential report was at collection time.
func (f *Facts) reportAge(snap *snapshot.Snapshot) string {
	if snap.CredentialReport == nil || snap.CredentialReport.GeneratedTime.IsZero() {
		return "the credential report gives no generation time"
	}
	gen := snap.CredentialReport.GeneratedTime.UTC()
	age := snap.CollectedAt.Sub(gen).Round(time.Minute)
	return fmt.Sprintf("the credential report was generated at %s, %s before collection; IAM serves a report up to 4 hours old, so users created since are missing from it",
		gen.Format(time.RFC3339), age)
}

// credentialRows parses the credential report row by row and records each
// row that cannot be used.
// A required column missing from the header concerns every row alike: the
// whole report is then malformed.
func (f *Facts) credentialRows(snap *snapshot.Snapshot) []rowProblem {
	if cols := snap.CredentialReport.Columns; len(cols) > 0 {
		have := map[string]bool{}
		for _, c := range cols {
			have[strings.ToLower(strings.TrimSpace(c))] = true
		}
		var missing []string
		for _, c := range requiredColumns {
			if !have[c] {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			f.markMalformed(snapshot.SourceCredentialReport, fmt.Errorf("credential report header lacks column(s) %s", strings.Join(missing, ", ")))
			return nil
		}
	}
	rep, problems := parseCredentialReport(snap.CredentialReport)
	f.CredentialReport = rep
	byName := map[string]string{}
	for i := range snap.Users {
		byName[snap.Users[i].Name] = snap.Users[i].ARN
	}
	for _, p := range problems {
		arn := p.arn
		if arn == "" {
			arn = byName[p.user]
		}
		who := p.user
		if who == "" {
			who = arn
		}
		item := fmt.Sprintf("credential report line %d", p.line)
		if who != "" {
			item += " (" + who + ")"
		}
		prob := Problem{Source: snapshot.SourceCredentialReport, Item: item, Code: ErrorCodeMalformed, Message: p.err.Error()}
		switch {
		case p.user == RootUserName || (arn != "" && strings.HasSuffix(arn, ":root")):
			prob.Resources = []string{f.Account.ARN}
			if f.RootProblem == "" {
				f.RootProblem = p.err.Error()
			}
			if rep.Root != nil && rep.Root.Row < p.line {
				// A second root row: which one is true cannot be told.
				rep.Root = nil
			}
		case arn != "":
			prob.Resources = []string{arn}
			delete(rep.Users, arn) // a duplicate row makes the first one doubtful too
			unknownEntry(f.CredentialUnknown, arn, p.user, TypeUser, p.err.Error())
		}
		f.addProblem(prob)
	}
	return problems
}

// crossCheck compares the users of GetAccountAuthorizationDetails with the
// credential report's rows. A user missing from one is unknown to the
// checks that read the other, never clean.
func (f *Facts) crossCheck(snap *snapshot.Snapshot, rows []rowProblem) {
	if f.CredentialReport == nil || !f.OK(snapshot.SourceCredentialReport) || !f.OK(snapshot.SourceAuthorizationDetails) {
		return
	}
	inAuth := map[string]bool{}
	for i := range snap.Users {
		u := &snap.Users[i]
		inAuth[u.ARN] = true
		if _, ok := f.CredentialReport.Users[u.ARN]; ok {
			continue
		}
		if _, ok := f.CredentialUnknown[u.ARN]; ok {
			continue // its row is there but unreadable: already a problem
		}
		reason := fmt.Sprintf("%s is not in the credential report: %s", u.Name, f.reportAge(snap))
		unknownEntry(f.CredentialUnknown, u.ARN, u.Name, TypeUser, reason)
		f.addProblem(Problem{Source: snapshot.SourceCredentialReport, Item: "user " + u.Name, Resources: []string{u.ARN}, Code: ErrorCodeIncomplete, Message: reason})
	}
	// Rows of users GetAccountAuthorizationDetails does not list, readable
	// or not.
	lines := map[string]int{}
	names := map[string]string{}
	for arn, row := range f.CredentialReport.Users {
		lines[arn], names[arn] = row.Row, row.User
	}
	for _, p := range rows {
		if p.arn != "" && !strings.HasSuffix(p.arn, ":root") {
			if _, seen := lines[p.arn]; !seen {
				lines[p.arn], names[p.arn] = p.line, p.user
			}
		}
	}
	arns := make([]string, 0, len(lines))
	for arn := range lines {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	for _, arn := range arns {
		if inAuth[arn] {
			continue
		}
		row := &CredentialRow{User: names[arn], Row: lines[arn]}
		if row.User == "" {
			row.User = nameFromARN(arn)
		}
		reason := fmt.Sprintf("%s is in the credential report (line %d) but not in GetAccountAuthorizationDetails, so its groups and policies are unknown", row.User, row.Row)
		if len(snap.Users) == 0 {
			reason += " (GetAccountAuthorizationDetails listed no users at all)"
		}
		unknownEntry(f.PolicyUnknown, arn, row.User, TypeUser, reason)
		f.addProblem(Problem{Source: snapshot.SourceAuthorizationDetails, Item: "user " + row.User, Resources: []string{arn}, Code: ErrorCodeIncomplete, Message: reason})
	}
}

// requiredColumns are the credential report columns every row must have.
var requiredColumns = []string{"arn", "password_enabled", "password_last_used", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date"}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Source != ps[j].Source {
			return ps[i].Source < ps[j].Source
		}
		return ps[i].Item < ps[j].Item
	})
}
