package report

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// artifactLoc is where SARIF says the snapshot lives.
type artifactLoc struct {
	uri     string // relative reference, or a file URI for an absolute path
	baseID  string // uriBaseId when uri is relative to SARIFRoot
	base    string // file URI of SARIFRoot, when it is absolute
	display string // the path as the user gave it, for messages
	// outsideRoot is set when the snapshot is not under SARIFRoot.
	outsideRoot bool
}

// sarifArtifactLocation works out the snapshot's URI. With SARIFRoot the URI
// is relative to it and carries uriBaseId SRCROOT (GitHub resolves it against
// the repository root); without, a relative path stays relative and an
// absolute path becomes a file:// URI.
func sarifArtifactLocation(rep *findings.Report, opts Options) (artifactLoc, error) {
	path := opts.SnapshotPath
	if path == "" {
		path = rep.SnapshotPath
	}
	if path == "" {
		path = defaultSnapshot
	}
	loc := artifactLoc{display: path}
	if opts.SARIFRoot != "" {
		root, p := opts.SARIFRoot, path
		if filepath.IsAbs(root) != filepath.IsAbs(p) {
			var err error
			if root, err = filepath.Abs(root); err != nil {
				return loc, fmt.Errorf("sarif: root %s: %w", opts.SARIFRoot, err)
			}
			if p, err = filepath.Abs(p); err != nil {
				return loc, fmt.Errorf("sarif: snapshot path %s: %w", path, err)
			}
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return loc, fmt.Errorf("sarif: snapshot %s is not under root %s: %w", path, opts.SARIFRoot, err)
		}
		loc.uri = relativeURI(rel)
		loc.baseID = srcRootBaseID
		loc.outsideRoot = rel == ".." || strings.HasPrefix(filepath.ToSlash(rel), "../")
		if filepath.IsAbs(opts.SARIFRoot) {
			loc.base = fileURI(opts.SARIFRoot, true)
		}
		return loc, nil
	}
	if filepath.IsAbs(path) {
		loc.uri = fileURI(path, false)
	} else {
		loc.uri = relativeURI(path)
	}
	return loc, nil
}

func newArtifactLocation(loc artifactLoc, index int) *sarif.ArtifactLocation {
	a := sarif.NewArtifactLocation()
	uri := loc.uri
	a.URI = &uri
	if loc.baseID != "" {
		b := loc.baseID
		a.URIBaseID = &b
	}
	a.Index = index
	return a
}

// relativeURI percent-encodes a relative file path as a URI reference.
func relativeURI(p string) string {
	p = filepath.ToSlash(filepath.Clean(p))
	u := url.URL{Path: p}
	s := u.EscapedPath()
	// A first segment with a colon would read as a scheme.
	if first, _, _ := strings.Cut(s, "/"); strings.Contains(first, ":") {
		s = "./" + s
	}
	return s
}

func fileURI(p string, dir bool) string {
	p = filepath.ToSlash(filepath.Clean(p))
	if !strings.HasPrefix(p, "/") { // Windows drive paths
		p = "/" + p
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u := url.URL{Scheme: "file", Path: p}
	return u.String()
}
