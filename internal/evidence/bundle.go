package evidence

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lockdown-dev/lockdown/internal/fileout"
)

// Limits on a bundle being read: a bundle is input, and a hostile archive
// must not exhaust memory or disk.
type Limits struct {
	MaxFiles     int   // members, the manifest and signature included
	MaxFileBytes int64 // one member
	MaxBytes     int64 // all members together, uncompressed
}

// DefaultLimits fit a 10,000-user account's snapshot and reports many times
// over.
var DefaultLimits = Limits{MaxFiles: 10000, MaxFileBytes: 1 << 30, MaxBytes: 4 << 30}

// IsArchive says whether path names a .tar.gz (or .tgz) bundle.
func IsArchive(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".tgz")
}

// checkPath accepts a member path: relative, '/'-separated, in clean form,
// no '.' or '..' segment, no backslash or control character, valid UTF-8.
func checkPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case len(p) > 1024:
		return fmt.Errorf("path of %d bytes", len(p))
	case !utf8.ValidString(p):
		return fmt.Errorf("%q: not UTF-8", p)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q: absolute path", p)
	case strings.ContainsAny(p, "\\"):
		return fmt.Errorf("%q: backslash in path", p)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%q: control character in path", p)
		}
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return fmt.Errorf("%q: empty path segment", p)
		case ".", "..":
			return fmt.Errorf("%q: %q segment", p, seg)
		}
	}
	return nil
}

// Members are a bundle's files in writing order: the manifest, its
// signature when there is one, then every listed file sorted by path.
func members(manifest, sig []byte, files []Content) ([]Content, error) {
	out := []Content{{Path: ManifestName, Data: manifest}}
	if sig != nil {
		out = append(out, Content{Path: SignatureName, Data: sig})
	}
	sorted := append([]Content(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	seen := map[string]bool{ManifestName: true, SignatureName: true}
	for _, c := range sorted {
		if err := checkPath(c.Path); err != nil {
			return nil, err
		}
		if seen[c.Path] {
			return nil, fmt.Errorf("%s: two files of that name", c.Path)
		}
		seen[c.Path] = true
		out = append(out, c)
	}
	return out, nil
}

// CheckTarget refuses, before any work, a bundle destination that could
// not be written: a .tar.gz path whose directory is missing, or a directory
// that exists and is not empty (its parent must exist).
func CheckTarget(dest string) error {
	if IsArchive(dest) {
		return fileout.CheckWritable(dest)
	}
	st, err := os.Stat(dest)
	switch {
	case err == nil && !st.IsDir():
		return fmt.Errorf("%s: exists and is not a directory", dest)
	case err == nil:
		entries, err := os.ReadDir(dest)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			return fmt.Errorf("%s: directory is not empty (a bundle is written to a new or empty directory)", dest)
		}
		return nil
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(dest)
		pst, perr := os.Stat(parent)
		if perr != nil {
			return fmt.Errorf("%s: directory %s: %w", dest, parent, perr)
		}
		if !pst.IsDir() {
			return fmt.Errorf("%s: %s is not a directory", dest, parent)
		}
		return nil
	default:
		return err
	}
}

// Write writes a bundle to dest: a .tar.gz archive when dest ends so, a
// directory otherwise. mtime is the time given to archive members (the
// snapshot's collection time, so that the archive is deterministic too).
// A directory bundle is built beside dest and renamed into place, so it
// appears complete or not at all; dest must not exist or be empty.
func Write(dest string, manifest, sig []byte, files []Content, mtime time.Time) error {
	all, err := members(manifest, sig, files)
	if err != nil {
		return err
	}
	if IsArchive(dest) {
		data, err := Archive(all, mtime)
		if err != nil {
			return err
		}
		return fileout.WriteFile(dest, data, fileout.UserNamed)
	}
	return writeDir(dest, all)
}

// Archive is the tar.gz of members, in the order given: regular files only
// (mode 0644, owner 0, the given mtime), no directory entries, and a gzip
// header without name or time, so the same members give the same bytes.
func Archive(all []Content, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(zw)
	mt := mtime.UTC().Truncate(time.Second)
	for _, c := range all {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     c.Path,
			Mode:     0o644,
			Size:     int64(len(c.Data)),
			ModTime:  mt,
			Format:   tar.FormatPAX,
		}
		if len(c.Path) <= 100 {
			hdr.Format = tar.FormatUSTAR
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Path, err)
		}
		if _, err := tw.Write(c.Data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeDir(dest string, all []Content) (err error) {
	if err := CheckTarget(dest); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for _, c := range all {
		p := filepath.Join(tmp, filepath.FromSlash(c.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileout.Mode)
		if err != nil {
			return err
		}
		_, werr := f.Write(c.Data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("%s: %w", p, werr)
		}
	}
	// An empty directory named as the destination is replaced (os.Remove
	// removes only an empty one).
	if st, err := os.Lstat(dest); err == nil && st.IsDir() {
		if err := os.Remove(dest); err != nil {
			return fmt.Errorf("%s: %w", dest, err)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("%s: %w", dest, err)
	}
	return nil
}

// Bundle is a bundle read into memory.
type Bundle struct {
	Source string
	// Files holds every member by path, the manifest and signature
	// included.
	Files map[string][]byte
}

// ReadError is a bundle that could not be read safely; nothing in it was
// judged.
type ReadError struct {
	Source string
	Err    error
}

func (e *ReadError) Error() string { return fmt.Sprintf("bundle %s: %v", e.Source, e.Err) }
func (e *ReadError) Unwrap() error { return e.Err }

// Read reads a bundle directory or .tar.gz archive within lim. Anything
// unsafe is refused as a whole (*ReadError): an absolute path, a '..'
// segment, a symbolic or hard link, a device, a member listed twice, a
// member or a total larger than the limits.
func Read(src string, lim Limits) (*Bundle, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, &ReadError{src, err}
	}
	var files map[string][]byte
	if st.IsDir() {
		// The directory the user named may be a link to the bundle; the
		// bundle's own members may not.
		root, rerr := filepath.EvalSymlinks(src)
		if rerr != nil {
			return nil, &ReadError{src, rerr}
		}
		files, err = readDir(root, lim)
	} else {
		files, err = readArchive(src, lim)
	}
	if err != nil {
		return nil, &ReadError{src, err}
	}
	return &Bundle{Source: src, Files: files}, nil
}

type budget struct {
	lim   Limits
	files int
	bytes int64
}

func (b *budget) add(name string, size int64) error {
	b.files++
	if b.files > b.lim.MaxFiles {
		return fmt.Errorf("more than %d members", b.lim.MaxFiles)
	}
	if size > b.lim.MaxFileBytes {
		return fmt.Errorf("%s: %d bytes, more than the limit of %d", name, size, b.lim.MaxFileBytes)
	}
	b.bytes += size
	if b.bytes > b.lim.MaxBytes {
		return fmt.Errorf("more than %d bytes in all", b.lim.MaxBytes)
	}
	return nil
}

func readDir(root string, lim Limits) (map[string][]byte, error) {
	files := map[string][]byte{}
	b := &budget{lim: lim}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if err := checkPath(rel); err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s: a symbolic link (a bundle holds regular files only)", rel)
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: not a regular file", rel)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := b.add(rel, info.Size()); err != nil {
			return err
		}
		data, err := readBounded(p, lim.MaxFileBytes)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		files[rel] = data
		return nil
	})
	return files, err
}

func readBounded(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("more than the limit of %d bytes", max)
	}
	return data, nil
}

func readArchive(src string, lim Limits) (map[string][]byte, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("not a gzip archive: %w", err)
	}
	defer zr.Close()
	// The decompressed stream is bounded as a whole (tar headers count too),
	// so a small archive cannot expand without end.
	limited := &io.LimitedReader{R: zr, N: lim.MaxBytes + int64(lim.MaxFiles+2)*2048}
	tr := tar.NewReader(limited)
	files := map[string][]byte{}
	dirs := map[string]bool{}
	b := &budget{lim: lim}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if limited.N <= 0 {
				return nil, fmt.Errorf("more than %d bytes uncompressed", lim.MaxBytes)
			}
			return nil, fmt.Errorf("reading the archive: %w", err)
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue // pax global attributes (git archive writes them): no file
		}
		name := hdr.Name
		if strings.HasPrefix(name, "/") {
			return nil, fmt.Errorf("%q: absolute path in the archive", name)
		}
		name = strings.TrimPrefix(name, "./")
		isDir := hdr.Typeflag == tar.TypeDir
		if isDir {
			name = strings.TrimSuffix(name, "/")
			if name == "" || name == "." {
				continue
			}
		}
		if err := checkPath(name); err != nil {
			return nil, err
		}
		if path.Clean(name) != name {
			return nil, fmt.Errorf("%q: not a clean path", name)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if _, dup := files[name]; dup || dirs[name] {
				return nil, fmt.Errorf("%s: listed twice in the archive", name)
			}
			// A directory entry is a member too: the limit on members
			// bounds what the reader holds, whatever their type.
			if err := b.add(name, 0); err != nil {
				return nil, err
			}
			dirs[name] = true
			continue
		case tar.TypeReg:
		case tar.TypeSymlink, tar.TypeLink:
			return nil, fmt.Errorf("%s: a link in the archive (a bundle holds regular files only)", name)
		default:
			return nil, fmt.Errorf("%s: not a regular file (tar type %q)", name, hdr.Typeflag)
		}
		if _, dup := files[name]; dup || dirs[name] {
			return nil, fmt.Errorf("%s: listed twice in the archive", name)
		}
		if hdr.Size < 0 {
			return nil, fmt.Errorf("%s: negative size", name)
		}
		if err := b.add(name, hdr.Size); err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(tr, hdr.Size+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if int64(len(data)) != hdr.Size {
			return nil, fmt.Errorf("%s: %d bytes, header says %d", name, len(data), hdr.Size)
		}
		files[name] = data
	}
	// A file and a directory of one name, or a file under a file, cannot
	// both be members.
	for name := range files {
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if _, ok := files[dir]; ok {
				return nil, fmt.Errorf("%s: a member under the file %s", name, dir)
			}
		}
	}
	return files, nil
}
