package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/lockdown-dev/lockdown/checks"
	regolib "github.com/lockdown-dev/lockdown/rego"
)

type builtin struct {
	version string
	names   map[string]bool
}

var builtinOnce = sync.OnceValue(func() builtin {
	b := builtin{names: map[string]bool{}}
	var files []sourceFile
	for _, tree := range []struct {
		fsys   fs.FS
		prefix string
	}{{checks.FS, "checks"}, {regolib.FS, "rego"}} {
		got, err := readFS(tree.fsys, tree.prefix, false)
		if err != nil {
			b.version = "unknown"
			return b
		}
		files = append(files, got...)
	}
	for _, f := range files {
		b.names[f.name] = true
	}
	b.version = digestFiles(files)
	return b
})

// CatalogVersion identifies the built-in check catalogue: a digest of the
// embedded checks/ and rego/ files (tests excluded), "sha256:<16 hex>". The
// same build always gives the same value; any change to a check, its
// METADATA or a shared library changes it. The tool version is separate.
func CatalogVersion() string { return builtinOnce().version }

// digestFiles hashes names and contents in name order.
func digestFiles(files []sourceFile) string {
	sorted := append([]sourceFile(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	h := sha256.New()
	for _, f := range sorted {
		fmt.Fprintf(h, "%s\x00%d\x00", f.name, len(f.src))
		h.Write(f.src)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// RulesVersion is the digest of the user rule files under dirs (--rules),
// in the same form as CatalogVersion, or "" when dirs is empty. File names
// are taken relative to their rule directory, so the digest does not depend
// on where the directory is.
func RulesVersion(dirs []string) (string, error) {
	if len(dirs) == 0 {
		return "", nil
	}
	var all []sourceFile
	for i, dir := range dirs {
		files, err := readDir(dir)
		if err != nil {
			return "", err
		}
		for _, f := range files {
			rel, err := filepath.Rel(dir, f.name)
			if err != nil {
				rel = f.name
			}
			all = append(all, sourceFile{name: fmt.Sprintf("%d/%s", i, filepath.ToSlash(rel)), src: f.src})
		}
	}
	return digestFiles(all), nil
}

// UnknownCheckError is a check ID that no loaded check has.
type UnknownCheckError struct {
	IDs   []string // as given
	Known []string // every loaded check ID, sorted
}

func (e *UnknownCheckError) Error() string {
	return fmt.Sprintf("unknown check ID(s) %s (known: %s)", strings.Join(e.IDs, ", "), strings.Join(e.Known, ", "))
}

// ResolveChecks is the one place check IDs given by a user are validated.
// IDs match case-insensitively; the result holds the canonical IDs in the
// order given, without duplicates. Unknown IDs give an *UnknownCheckError
// naming all of them.
func (e *Engine) ResolveChecks(ids []string) ([]string, error) {
	byUpper := make(map[string]string, len(e.defs))
	known := make([]string, len(e.defs))
	for i, d := range e.defs {
		byUpper[strings.ToUpper(d.meta.ID)] = d.meta.ID
		known[i] = d.meta.ID
	}
	var out, unknown []string
	seen := map[string]bool{}
	for _, id := range ids {
		canon, ok := byUpper[strings.ToUpper(strings.TrimSpace(id))]
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		if !seen[canon] {
			seen[canon] = true
			out = append(out, canon)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownCheckError{IDs: unknown, Known: known}
	}
	return out, nil
}

// CheckInfo is what `lockdown checks` shows about one check beyond its
// METADATA: the parameters it declares (with their defaults) and where it
// was loaded from.
type CheckInfo struct {
	Params map[string]any // declared parameters and their defaults
	Files  []string       // the module files of the check's package
	Custom bool           // loaded from a --rules directory
}

// Info returns the parameters and origin of the check with the given
// canonical ID.
func (e *Engine) Info(id string) (CheckInfo, bool) {
	d, ok := e.byID[id]
	if !ok {
		return CheckInfo{}, false
	}
	info := CheckInfo{Params: map[string]any{}, Files: append([]string(nil), d.files...)}
	for k, v := range d.params {
		info.Params[k] = v
	}
	for _, f := range d.files {
		if e.isUserFile(f) {
			info.Custom = true
		}
	}
	return info, true
}

// ParamDefaults returns every declared parameter's default and the checks
// that use it, sorted.
func (e *Engine) ParamDefaults() (map[string]any, map[string][]string) {
	vals, users := paramDefaults(e.defs)
	for _, u := range users {
		sort.Strings(u)
	}
	return vals, users
}

// isUserFile: every module that is not embedded came from a --rules
// directory (a rule file cannot share an embedded file's name: parseFiles
// refuses names loaded twice).
func (e *Engine) isUserFile(name string) bool { return !builtinOnce().names[name] }
