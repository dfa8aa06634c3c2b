package fileout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileWholeAndPrivate(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new"), UserNamed); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(data) != "new" || st.Mode().Perm() != 0o600 {
		t.Fatalf("content %q mode %v", data, st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	if err := WriteFile(dir, []byte("x"), UserNamed); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("directory as output: %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x"), []byte("x"), UserNamed); err == nil {
		t.Fatal("wrote into a missing directory")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("a failed write left files: %v", entries)
	}
}

func TestSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	// Implicit: the link itself is replaced, the target untouched.
	if err := WriteFile(link, []byte("snapshot"), Implicit); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(target); string(data) != "precious" {
		t.Fatalf("target written through an implicit link: %q", data)
	}
	if st, _ := os.Lstat(link); !st.Mode().IsRegular() {
		t.Fatalf("link not replaced: %v", st.Mode())
	}
	// User-named: the user asked for this path, so the link is followed
	// and stays a link.
	link2 := filepath.Join(dir, "link2")
	if err := os.Symlink(target, link2); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link2, []byte("report"), UserNamed); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(target); string(data) != "report" {
		t.Fatalf("user-named link not followed: %q", data)
	}
	if st, _ := os.Lstat(link2); st.Mode()&os.ModeSymlink == 0 {
		t.Fatal("user-named link was replaced")
	}
	if !SamePath(link2, target) || SamePath(link2, filepath.Join(dir, "other")) {
		t.Fatal("SamePath")
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nothing"), dangling); err != nil {
		t.Fatal(err)
	}
	if !SamePath(dangling, filepath.Join(dir, "nothing")) {
		t.Fatal("a dangling link names the file a write would create")
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritable(filepath.Join(dir, "r.json")); err != nil {
		t.Fatal(err)
	}
	if err := CheckWritable(filepath.Join(dir, "missing", "r.json")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing directory: %v", err)
	}
	if err := CheckWritable(dir); err == nil {
		t.Fatal("a directory is not a writable file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("CheckWritable left files: %v", entries)
	}
	if err := CheckWritable(os.DevNull); err != nil {
		t.Fatalf("a device: %v", err)
	}
}
