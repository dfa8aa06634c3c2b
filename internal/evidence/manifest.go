// Package evidence writes and reads lockdown's evidence bundle: the
// snapshot, the reports rendered from it, the inputs that shaped them
// (waivers, baseline, rule files) and manifest.json, which lists every other
// file with its SHA-256 and size and records how the reports were made. An
// optional SSH signature (manifest.json.sig, OpenSSH's SSHSIG format,
// namespace lockdown-evidence) covers the manifest, and so, through the
// hashes, every file. A bundle is a directory or a .tar.gz archive.
package evidence

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Names of the bundle's fixed members.
const (
	// Schema is the manifest's schema identifier.
	Schema = "lockdown.manifest/v1"
	// ManifestName is the manifest's path in the bundle.
	ManifestName = "manifest.json"
	// SignatureName is the manifest's SSH signature, beside it.
	SignatureName = ManifestName + ".sig"
	// Namespace is the SSHSIG namespace of the signature (ssh-keygen -n).
	Namespace = "lockdown-evidence"
	// SnapshotName is the snapshot's path in the bundle.
	SnapshotName = "snapshot.json"
)

// SchemaJSON is the manifest's published JSON Schema.
//
//go:embed manifest.schema.json
var SchemaJSON []byte

// Manifest is manifest.json. Every field is derived from the audit's inputs
// (the snapshot, the flags, the files they name) and never from the clock,
// so the same inputs give the same bytes.
type Manifest struct {
	Schema string `json:"schema"`
	Tool   Tool   `json:"tool"`
	// CatalogVersion identifies the checks that produced the reports: the
	// digest of the built-in checks, "+rules:<digest>" with --rules.
	CatalogVersion string  `json:"catalog_version"`
	Account        Account `json:"account"`
	// Caller is who collected the snapshot (sts:GetCallerIdentity); nil
	// when the snapshot does not say.
	Caller *Caller `json:"caller"`
	// CollectedAt is the snapshot's collection time: the only time in the
	// manifest.
	CollectedAt    time.Time `json:"collected_at"`
	SnapshotDigest string    `json:"snapshot_digest"`
	// Command is the command line that made the bundle, normalised (flags
	// in name order as --name=value, then the arguments) with every secret
	// value masked.
	Command    []string   `json:"command"`
	Parameters Parameters `json:"parameters"`
	// Snapshot, Reports and Compliance name the files by role.
	Snapshot   string           `json:"snapshot"`
	Reports    []ReportFile     `json:"reports"`
	Compliance []ComplianceFile `json:"compliance"`
	Inputs     Inputs           `json:"inputs"`
	Files      []File           `json:"files"`
}

// Tool is the program that wrote the bundle.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Account is the audited account.
type Account struct {
	ID        string   `json:"id"`
	Partition string   `json:"partition"`
	Aliases   []string `json:"aliases"`
}

// Caller is the identity that collected the snapshot.
type Caller struct {
	ARN     string `json:"arn"`
	UserID  string `json:"user_id"`
	Account string `json:"account"`
}

// Parameters are the evaluation settings, as given and as resolved.
type Parameters struct {
	FailOn string `json:"fail_on"`
	// Frameworks are the --framework sections, in the order of the report.
	Frameworks []string `json:"frameworks"`
	// Checks and SkipChecks are --check and --skip-check as given;
	// SelectedChecks is the selection they resolved to (sorted), which is
	// what a re-evaluation runs.
	Checks         []string `json:"checks"`
	SkipChecks     []string `json:"skip_checks"`
	SelectedChecks []string `json:"selected_checks"`
	// Params are --param KEY=VALUE as given (the report records the values
	// in force, defaults included).
	Params          map[string]string `json:"params"`
	WaiverMaxDays   int               `json:"waiver_max_days"`
	AllowIncomplete bool              `json:"allow_incomplete"`
}

// ReportFile is one rendered report.
type ReportFile struct {
	Format string `json:"format"`
	Path   string `json:"path"`
}

// ComplianceFile is one framework's compliance summary (JSON).
type ComplianceFile struct {
	Framework string `json:"framework"`
	Path      string `json:"path"`
}

// Inputs are the files given to the audit, copied into the bundle.
type Inputs struct {
	// Waivers and Baseline are the bundle paths of the copies ("" when
	// none was used); WaiversSource and BaselineSource the paths given.
	Waivers        string `json:"waivers"`
	WaiversSource  string `json:"waivers_source"`
	Baseline       string `json:"baseline"`
	BaselineSource string `json:"baseline_source"`
	// Rules are the bundle directories holding each --rules directory's
	// rule files (tests left out), in the order given.
	Rules []RulesDir `json:"rules"`
}

// RulesDir is one --rules directory copied into the bundle.
type RulesDir struct {
	Path   string `json:"path"`
	Source string `json:"source"`
}

// File is one listed file.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Content is a file to put in a bundle.
type Content struct {
	Path string
	Data []byte
}

// Describe returns the File entry of c.
func Describe(c Content) File {
	sum := sha256.Sum256(c.Data)
	return File{Path: c.Path, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(c.Data))}
}

// SetFiles lists files (every member but the manifest and its signature)
// in the manifest, sorted by path.
func (m *Manifest) SetFiles(files []Content) {
	m.Files = make([]File, 0, len(files))
	for _, c := range files {
		m.Files = append(m.Files, Describe(c))
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
}

// Marshal encodes m deterministically: fields in declaration order, map
// keys sorted, lists never null, two-space indent, one final newline.
func Marshal(m *Manifest) ([]byte, error) {
	c := *m
	c.Schema = Schema
	nonNil(&c.Account.Aliases)
	nonNil(&c.Command)
	nonNil(&c.Parameters.Frameworks)
	nonNil(&c.Parameters.Checks)
	nonNil(&c.Parameters.SkipChecks)
	nonNil(&c.Parameters.SelectedChecks)
	if c.Parameters.Params == nil {
		c.Parameters.Params = map[string]string{}
	}
	if c.Reports == nil {
		c.Reports = []ReportFile{}
	}
	if c.Compliance == nil {
		c.Compliance = []ComplianceFile{}
	}
	if c.Inputs.Rules == nil {
		c.Inputs.Rules = []RulesDir{}
	}
	if c.Files == nil {
		c.Files = []File{}
	}
	c.CollectedAt = c.CollectedAt.UTC()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func nonNil(s *[]string) {
	if *s == nil {
		*s = []string{}
	}
}

var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("manifest.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("manifest.schema.json")
})

// ParseManifest decodes manifest.json strictly: it must be valid against
// the published schema, and every path it names must be a safe relative
// path listed once.
func ParseManifest(data []byte) (*Manifest, error) {
	sch, err := compiledSchema()
	if err != nil {
		return nil, fmt.Errorf("manifest schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not JSON: %v", ManifestName, err)
	}
	if err := sch.Validate(doc); err != nil {
		return nil, fmt.Errorf("%s: does not follow %s: %s", ManifestName, Schema, oneLine(err.Error()))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %v", ManifestName, err)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if err := checkPath(f.Path); err != nil {
			return nil, fmt.Errorf("%s: files: %v", ManifestName, err)
		}
		if f.Path == ManifestName || f.Path == SignatureName {
			return nil, fmt.Errorf("%s: files lists %s, which it cannot cover", ManifestName, f.Path)
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("%s: files lists %s twice", ManifestName, f.Path)
		}
		seen[f.Path] = true
	}
	need := func(role, p string) error {
		if p != "" && !seen[p] {
			return fmt.Errorf("%s: %s %s is not in files", ManifestName, role, p)
		}
		return nil
	}
	if m.Snapshot == "" {
		return nil, fmt.Errorf("%s: no snapshot named", ManifestName)
	}
	checks := []error{need("snapshot", m.Snapshot), need("waivers", m.Inputs.Waivers), need("baseline", m.Inputs.Baseline)}
	for _, r := range m.Reports {
		checks = append(checks, need(r.Format+" report", r.Path))
	}
	for _, c := range m.Compliance {
		checks = append(checks, need(c.Framework+" compliance summary", c.Path))
	}
	for _, r := range m.Inputs.Rules {
		if err := checkPath(r.Path); err != nil {
			return nil, fmt.Errorf("%s: inputs.rules: %v", ManifestName, err)
		}
	}
	for _, err := range checks {
		if err != nil {
			return nil, err
		}
	}
	return &m, nil
}

// Report returns the path of the report in format, "" when there is none.
func (m *Manifest) Report(format string) string {
	for _, r := range m.Reports {
		if r.Format == format {
			return r.Path
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
