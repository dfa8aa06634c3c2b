// Command mktestdata writes the hand-designed snapshots of
// internal/snapshot/snapshottest (the guide's account and its variants)
// under testdata/snapshots, with their READMEs and expected.json. The files
// are generated, not edited: change the fixtures and run it again
// (go run ./tools/mktestdata from the repository root). A test checks that
// the committed files match its output byte for byte.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func main() {
	dir := flag.String("dir", filepath.Join("testdata", "snapshots"), "output directory")
	flag.Parse()
	files, err := render()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mktestdata:", err)
		os.Exit(1)
	}
	if err := writeAll(*dir, files); err != nil {
		fmt.Fprintln(os.Stderr, "mktestdata:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "mktestdata: wrote %d files under %s\n", len(files), *dir)
}

// render produces every generated file, keyed by slash path relative to
// testdata/snapshots.
func render() (map[string][]byte, error) {
	list := snapshottest.Scenarios()
	files := map[string][]byte{}
	for _, sc := range list {
		if _, dup := files[sc.Path]; dup {
			return nil, fmt.Errorf("scenario %s defined twice", sc.Path)
		}
		for _, id := range append(append(append([]string(nil), sc.Fail...), sc.NotAssessed...), sc.NotApplicable...) {
			if !known(id) {
				return nil, fmt.Errorf("scenario %s: unknown check ID %s", sc.Path, id)
			}
		}
		data, err := snapshot.Marshal(sc.Build())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.Path, err)
		}
		// Everything written must load back through the schema.
		if _, err := snapshot.Decode(sc.Path, data); err != nil {
			return nil, err
		}
		files[sc.Path] = data
	}
	exp, err := expectedJSON(list)
	if err != nil {
		return nil, err
	}
	files["expected.json"] = exp
	files["README.md"] = topREADME(list)
	files["variants/README.md"] = tableREADME(list, "variants/", variantsIntro)
	files["equivalent/README.md"] = tableREADME(list, "equivalent/", equivalentIntro)
	files["incomplete/README.md"] = incompleteREADME(list)
	if err := renderCIS(files); err != nil {
		return nil, err
	}
	if err := renderPrivesc(files); err != nil {
		return nil, err
	}
	return files, nil
}

func known(id string) bool {
	for _, c := range snapshottest.Checks {
		if c == id {
			return true
		}
	}
	return false
}

func writeAll(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func ids(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func tableREADME(list []snapshottest.Scenario, prefix, intro string) []byte {
	return table(list, intro, generatedNote, []string{"file", "the one change from guide-compliant", "expected to fail", "why (AWS semantics)"},
		func(sc snapshottest.Scenario) []string {
			if !strings.HasPrefix(sc.Path, prefix) {
				return nil
			}
			return []string{"`" + strings.TrimPrefix(sc.Path, prefix) + "`", cell(sc.Change), ids(sc.Fail), cell(sc.Why)}
		})
}

func incompleteREADME(list []snapshottest.Scenario) []byte {
	return table(list, incompleteIntro, generatedNote, []string{"file", "the one change from guide-compliant", "expected to fail", "not assessed", "why"},
		func(sc snapshottest.Scenario) []string {
			if !strings.HasPrefix(sc.Path, "incomplete/") {
				return nil
			}
			return []string{"`" + strings.TrimPrefix(sc.Path, "incomplete/") + "`", cell(sc.Change), ids(sc.Fail), ids(sc.NotAssessed), cell(sc.Why)}
		})
}

func topREADME(list []snapshottest.Scenario) []byte {
	return table(list, topIntro, glossary+generatedNote, []string{"file", "what it is", "expected to fail", "not assessed", "why"},
		func(sc snapshottest.Scenario) []string {
			if strings.Contains(sc.Path, "/") {
				return nil
			}
			return []string{"`" + sc.Path + "`", cell(sc.Change), ids(sc.Fail), ids(sc.NotAssessed), cell(sc.Why)}
		})
}

// table is a README: intro, a Markdown table with the columns and one row
// per scenario that row returns cells for, then tail.
func table(list []snapshottest.Scenario, intro, tail string, columns []string, row func(snapshottest.Scenario) []string) []byte {
	var b bytes.Buffer
	b.WriteString(intro)
	b.WriteString("\n| " + strings.Join(columns, " | ") + " |\n|")
	for _, c := range columns {
		b.WriteString(strings.Repeat("-", len(c)+2) + "|")
	}
	b.WriteString("\n")
	for _, sc := range list {
		if cells := row(sc); cells != nil {
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
	}
	b.WriteString(tail)
	return b.Bytes()
}

const generatedNote = "\nGenerated by `go run ./tools/mktestdata`; do not edit by hand (a test compares the files with its output).\n"

const topIntro = `# Snapshots for tests and demos

Hand-designed snapshots of account 123456789012 (partition aws), collected at 2026-11-27T12:00:00Z,
in the canonical form written by ` + "`snapshot.Save`" + `. The account is the one the guide
(shared/guide/securely-configuring-your-aws-account.md) builds: user alice in the groups Users
(IAMRequireMFA) and Administrators, role AdminRole with AdminPolicy, root with a hardware MFA.
Beyond IAM it has three enabled regions (eu-west-1, us-east-1, us-west-2), each with an active, tagged
external-access analyzer (us-east-1 also an unused-access one); one valid server certificate; a running and a
stopped EC2 instance with an instance profile and a terminated one without; a security alternate contact; and it
is the management account of an organization that enables both centralised root access features.

- ` + "`variants/`" + `: guide-compliant with exactly one thing broken each (see variants/README.md).
- ` + "`equivalent/`" + `: guide-compliant with one policy written in an equivalent encoding; every check must pass.
- ` + "`incomplete/`" + `: guide-compliant with one item missing or unusable; exactly the checks that depend on it are NOT_ASSESSED.
- ` + "`cis/`" + `: the CIS-clean account and one variant per automated control of every framework, with their own
  expected.json: check verdicts, and control statuses keyed by framework and control (see cis/README.md).
- ` + "`privesc/`" + `: the privilege-escalation corpus of LD-PE-01, one catalogue method's attackers and their harmless
  twins per file, with its own expected.json: each principal's status and shortest path (see privesc/README.md).
- ` + "`expected.json`" + `: for every file, the check IDs expected to FAIL, to be NOT_ASSESSED and to be NOT_APPLICABLE.
  Every other check in its "checks" list must PASS or have nothing to examine. Check tests can iterate over it.
`

const glossary = `
## The checks, as these expectations read them

"Without MFA" means both request contexts AWS documents: long-term access keys (no aws:MultiFactorAuth* keys in
the request at all) and temporary credentials obtained without MFA (aws:MultiFactorAuthPresent = false, no age).
"Self-service" means the actions IAMRequireMFA allows without MFA: iam:GetAccountPasswordPolicy,
iam:GetAccountSummary, iam:ListAccountAliases, iam:ListUsers, iam:ChangePassword, iam:ListVirtualMFADevices,
iam:ListMFADevices, iam:CreateVirtualMFADevice, iam:DeleteVirtualMFADevice, iam:EnableMFADevice, iam:ResyncMFADevice.
LD-KEY-* judge IAM users; the root row of the credential report belongs to LD-ROOT-*.

| check | passes when |
|-------|-------------|
| LD-ROOT-01 | the root user has MFA (credential report mfa_active, AccountMFAEnabled) |
| LD-ROOT-02 | the root user has no access keys |
| LD-ROOT-03 | the root MFA is a hardware device (no virtual device assigned to arn:...:root) |
| LD-ROOT-04 | the root user was not used recently (password or keys; 2026-05-01 is long ago, 3 days is recent) |
| LD-PWD-01 | a password policy is set and strong (length >= 14, reuse prevention, all character classes, ...) |
| LD-MFA-01 | without MFA a user can do only self-service: nothing beyond the self-service actions is allowed, AND an explicit Deny in the user's own policies covers every non-IAM action in both no-MFA contexts, so that no other grant (today's or a later one) works without MFA. The second half is what deny-bool-mfa-false, deny-statement-missing and user-outside-users-group break |
| LD-MFA-02 | in no context can a user create, change or delete another user's login profile, access keys or MFA devices (self-service is scoped with ${aws:username}); iam:ChangePassword always acts on the caller |
| LD-MFA-03 | every user with a console password has MFA active |
| LD-ADM-01 | no user or group holds administrator permissions except through the admin role |
| LD-ADM-02 | every allow of sts:AssumeRole on the admin role requires MFA, aws:SecureTransport and an MFA age <= 3600 s |
| LD-ADM-03 | the admin role's trust policy admits only the own account and requires MFA |
| LD-ADM-04 | the admin role's MaxSessionDuration is <= 3600 s |
| LD-GRP-01 | every user is in a group whose own policies enforce the LD-MFA-01 deny |
| LD-GRP-02 | no user has attached or inline policies |
| LD-KEY-01 | every active access key was rotated within 90 days |
| LD-KEY-02 | no password or active key has gone unused for 45 days or more |
| LD-KEY-03 | no user has more than one active access key |
| LD-CLI-01 | every CLI profile with role_arn names an existing source_profile and an mfa_serial |
| LD-CLI-02 | no CLI profile holds a root access key |
| LD-CLI-03 | ~/.aws/credentials is not readable or writable by group or others (0600) |
| LD-ACCT-01 | a security alternate contact with an email address is registered |
| LD-CERT-01 | no IAM server certificate expired before collection (the fixture's expires 2027-06-30) |
| LD-AA-01 | each enabled region (eu-west-1, us-east-1, us-west-2) has an ACTIVE analyzer of type ACCOUNT or ORGANIZATION; unused-access and internal-access analyzers do not count |
| LD-AA-02 | every analyzer has a tag key other than aws: system tags |
| LD-EC2-01 | every instance that is not terminated or shutting down (stopped included) has an instance profile |
| LD-ORG-01 | the organization enables RootCredentialsManagement (the fixture's account is its management account) |
| LD-ORG-02 | the organization enables RootSessions |
| LD-PWD-02, LD-PWD-03 | the password policy's minimum length is >= 14 (CIS 1.7) and it remembers >= 24 passwords (CIS 1.8); no policy fails |
| LD-PWD-04, LD-PWD-05 | the password policy meets Security Hub IAM.7 (four character types, length >= 8) and IAM.10 (PCI DSS: upper, lower, numbers, length >= 7, reuse >= 4, expiry <= 90 days) |
| LD-PWD-06..09 | the password policy requires an upper-case letter, a lower-case letter, a symbol, a number (IAM.11..14) |
| LD-PWD-10 | passwords expire within 90 days (IAM.17) |
| LD-KEY-04 | no console user has an active access key created with the user (within 60 s) and never used (CIS 1.10) |
| LD-KEY-05 | no password or active key has gone unused for 90 days or more (IAM.8) |
| LD-MFA-04 | every IAM user, console or not, has MFA (IAM.19) |
| LD-POL-01 | no policy attached to a user, group or role (managed or inline) allows every action on every resource, as the policy engine decides it (CIS 1.15) |
| LD-POL-02, LD-POL-03 | no customer managed policy has an Allow of every action on "*" (IAM.1) or of every action of a service (IAM.21) |
| LD-POL-04 | no user, group or role has AWSCloudShellFullAccess attached (CIS 1.21, IAM.27) |
| LD-ROLE-01 | some role has AWSSupportAccess attached (CIS 1.16, IAM.18) |
| LD-ROLE-02 | no role trust policy lets a principal of an unrelated account assume the role (CIS v7 2.21) |
| LD-TAG-01, LD-TAG-02 | every role and user has a tag other than aws: system tags (IAM.24, IAM.25) |
`

const variantsIntro = `# Broken variants of guide-compliant.json

Each file is ` + "`../guide-compliant.json`" + ` with exactly one change. "Expected to fail" lists the checks that must FAIL;
every other check must PASS (see ../README.md for what each check means here and ../expected.json for the
machine-readable form).
`

const equivalentIntro = `# Equivalent encodings of guide-compliant.json

Each file is ` + "`../guide-compliant.json`" + ` with one policy written differently but evaluated identically by IAM.
Every check must give the same verdict as on guide-compliant.json.
`

// expectation is one entry of expected.json.
type expectation struct {
	Fail          []string `json:"fail"`
	NotAssessed   []string `json:"not_assessed"`
	NotApplicable []string `json:"not_applicable"`
}

func expectedJSON(list []snapshottest.Scenario) ([]byte, error) {
	m := map[string]expectation{}
	for _, sc := range list {
		e := expectation{Fail: sc.Fail, NotAssessed: sc.NotAssessed, NotApplicable: sc.NotApplicable}
		if e.Fail == nil {
			e.Fail = []string{}
		}
		if e.NotAssessed == nil {
			e.NotAssessed = []string{}
		}
		if e.NotApplicable == nil {
			e.NotApplicable = []string{}
		}
		m[sc.Path] = e
	}
	out, err := json.MarshalIndent(map[string]any{
		"checks":    snapshottest.Checks,
		"snapshots": m,
	}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("expected.json: %w", err)
	}
	return append(out, '\n'), nil
}

const incompleteIntro = `# Incomplete variants of guide-compliant.json

Each file is ` + "`../guide-compliant.json`" + ` with one item missing or unusable: a user one source lists and another does not,
a group the snapshot does not describe, one unreadable credential report cell, one policy IAM would reject. Exactly the checks
that depend on the item are NOT_ASSESSED for the resources it concerns, naming the item; nothing missing is ever a PASS, and
everything else is still judged (see ../expected.json).
`
