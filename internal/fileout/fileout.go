// Package fileout writes lockdown's output files (reports, snapshots) so
// that nothing on disk is a surprise: a file is written whole to a
// temporary file in the same directory and renamed into place, created
// mode 0600, and a symbolic link is never written through unless the user
// named that very path.
package fileout

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Mode is the permission of every file lockdown creates.
const Mode fs.FileMode = 0o600

// Named says how a path reached lockdown.
type Named bool

const (
	// UserNamed paths were given by the user (-o, --save-snapshot): a
	// symbolic link there is followed to its target, and a device or pipe
	// (/dev/stdout, a FIFO) is written to directly.
	UserNamed Named = true
	// Implicit paths were chosen by lockdown (the snapshot beside the SARIF
	// file): a symbolic link there is replaced by the file, never followed.
	Implicit Named = false
)

// WriteFile writes data to path. The file appears complete or not at all.
func WriteFile(path string, data []byte, named Named) error {
	target := path
	if named == UserNamed {
		if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
			resolved, err := filepath.EvalSymlinks(path)
			if err != nil {
				return fmt.Errorf("%s: symbolic link to a missing file: %w", path, err)
			}
			target = resolved
		}
		if st, err := os.Stat(target); err == nil && !st.Mode().IsRegular() {
			if st.IsDir() {
				return fmt.Errorf("%s: is a directory", path)
			}
			// A device or pipe the user named: write to it as it is.
			f, err := os.OpenFile(target, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			_, werr := f.Write(data)
			cerr := f.Close()
			return errors.Join(werr, cerr)
		}
	} else if st, err := os.Lstat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s: is a directory", path)
	}
	return replace(target, data)
}

// replace writes data to a new temporary file beside path (created with
// O_EXCL, mode 0600) and renames it over path. rename replaces a symbolic
// link at path itself; it never writes into the link's target.
func replace(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err = tmp.Chmod(Mode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}

// CheckWritable fails early when a file could not be written at path: the
// parent directory is missing or not a directory, path is a directory, or
// the directory does not let lockdown create a file. It creates and removes
// a temporary file; it never touches path itself.
func CheckWritable(path string) error {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved
	}
	if st, err := os.Stat(path); err == nil && !st.IsDir() && !st.Mode().IsRegular() {
		return nil // a device or pipe: written to as it is
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	f, err := os.CreateTemp(dir, ".lockdown-check-*")
	if err != nil {
		return fmt.Errorf("directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// SamePath reports whether a and b name the same file: the same cleaned
// absolute path, or (for existing files and directories) the same file
// after symbolic links are resolved.
func SamePath(a, b string) bool {
	ka, kb := key(a), key(b)
	if ka == kb {
		return true
	}
	sa, ea := os.Stat(a)
	sb, eb := os.Stat(b)
	return ea == nil && eb == nil && os.SameFile(sa, sb)
}

// key is p made absolute, with symbolic links resolved (a dangling link
// too: it names the file a write would create).
func key(p string) string {
	for range 40 {
		st, err := os.Lstat(p)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			break
		}
		target, err := os.Readlink(p)
		if err != nil {
			break
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	dir, base := filepath.Split(abs)
	if resolved, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(resolved, base)
	}
	return abs
}
