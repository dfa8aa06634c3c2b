package iampolicy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/lockdown-dev/lockdown/internal/iampolicy/catalog"
)

type catService struct {
	prefix  string
	actions []string // original casing, sorted
}

type catalogData struct {
	services []catService
	level    map[string]string // lower-case "svc:action" -> access level
	multi    map[string]bool   // lower-case multivalued (ArrayOf*) condition keys
}

var (
	catOnce sync.Once
	catData *catalogData
	catErr  error
)

func loadCatalog() (*catalogData, error) {
	catOnce.Do(func() { catData, catErr = parseCatalog(catalog.ActionsGz) })
	return catData, catErr
}

var levelNames = map[string]string{
	"L": "List", "R": "Read", "W": "Write", "P": "Permissions management", "T": "Tagging",
}

func parseCatalog(gz []byte) (*catalogData, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("iampolicy: embedded catalog: %w", err)
	}
	cd := &catalogData{level: make(map[string]string, 22000), multi: map[string]bool{}}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<22)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || t[0] == '#' {
			continue
		}
		prefix, rest, ok := strings.Cut(t, "\t")
		if !ok {
			return nil, fmt.Errorf("iampolicy: embedded catalog line %d: no tab", line)
		}
		if prefix == "@multivalued" {
			for _, k := range strings.Fields(rest) {
				cd.multi[strings.ToLower(k)] = true
			}
			continue
		}
		svc := catService{prefix: prefix}
		for _, f := range strings.Fields(rest) {
			name, code, ok := strings.Cut(f, ":")
			lvl := levelNames[code]
			if !ok || lvl == "" {
				return nil, fmt.Errorf("iampolicy: embedded catalog line %d: bad entry %q", line, f)
			}
			svc.actions = append(svc.actions, name)
			cd.level[strings.ToLower(prefix+":"+name)] = lvl
		}
		cd.services = append(cd.services, svc)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("iampolicy: embedded catalog: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("iampolicy: embedded catalog: %w", err)
	}
	return cd, nil
}

// ExpandAction returns the known concrete actions ("service:Action", with
// the reference's casing) matching a pattern such as "s3:Get*" or "*",
// sorted. Matching is case-insensitive. An unknown concrete action yields nil.
func ExpandAction(pattern string) []string {
	cd, err := loadCatalog()
	if err != nil {
		return nil
	}
	g := compileGlob(pattern)
	svcPat, actPat, ok := strings.Cut(pattern, ":")
	if !ok && pattern != "*" {
		return nil
	}
	var sg, ag glob
	if ok {
		sg, ag = compileGlob(svcPat), compileGlob(actPat)
	}
	var out []string
	for _, s := range cd.services {
		if ok && !sg.match(s.prefix) {
			continue
		}
		for _, a := range s.actions {
			if (ok && ag.match(a)) || (!ok && g.match(s.prefix+":"+a)) {
				out = append(out, s.prefix+":"+a)
			}
		}
	}
	sort.Strings(out)
	return out
}

// AccessLevel returns "List", "Read", "Write", "Permissions management" or
// "Tagging" for a known action (case-insensitive), "" if unknown.
func AccessLevel(action string) string {
	cd, err := loadCatalog()
	if err != nil {
		return ""
	}
	return cd.level[strings.ToLower(action)]
}

// KnownAction reports whether action is in the Service Authorization Reference.
func KnownAction(action string) bool { return AccessLevel(action) != "" }

// CatalogError reports a problem decoding the embedded catalogue (nil when fine).
func CatalogError() error {
	_, err := loadCatalog()
	return err
}

// Global condition keys documented as multivalued ("Value type:
// Multivalued" in the IAM User Guide's global condition context keys page).
var globalMultivalued = map[string]bool{
	"aws:calledvia":                 true,
	"aws:principalorgpaths":         true,
	"aws:principalservicenameslist": true,
	"aws:resourceorgpaths":          true,
	"aws:sourceorgpaths":            true,
	"aws:tagkeys":                   true,
	"aws:vpceorgpaths":              true,
}

// MultivaluedKey reports whether a condition key is multivalued (a global
// multivalued key, or an ArrayOf* key of the Service Authorization
// Reference). Such keys need ForAllValues/ForAnyValue and cannot be policy
// variables.
func MultivaluedKey(key string) bool {
	k := strings.ToLower(key)
	if globalMultivalued[k] {
		return true
	}
	cd, err := loadCatalog()
	return err == nil && cd.multi[k]
}
