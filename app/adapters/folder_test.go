package adapters

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dealbooks/app/invoicing"
)

func TestFolderPutGet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pdf")
	f := NewFolder(dir)
	ctx := context.Background()
	name := "Invoice 1042 Acme Ltd.pdf"
	if _, err := f.Get(ctx, name); !errors.Is(err, invoicing.ErrNotFound) {
		t.Fatalf("Get before Put: %v, want ErrNotFound", err)
	}
	for _, content := range []string{"%PDF-1.4 first", "%PDF-1.4 second"} {
		path, err := f.Put(ctx, name, strings.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		if path != filepath.Join(dir, name) {
			t.Errorf("path = %q", path)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != content {
			t.Errorf("file holds %q, %v; want %q", b, err, content)
		}
		if got, err := f.Get(ctx, name); err != nil || got != path {
			t.Errorf("Get = %q, %v; want %q", got, err, path)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only the file", len(entries))
	}
}

// failingReader fails after handing out part of a file.
type failingReader struct{ sent bool }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.sent {
		return 0, errors.New("connection reset")
	}
	r.sent = true
	return copy(p, "%PDF-1.4 half"), nil
}

func TestFolderKeepsOldFileWhenWriteFails(t *testing.T) {
	dir := t.TempDir()
	f := NewFolder(dir)
	ctx := context.Background()
	path, err := f.Put(ctx, "a.pdf", strings.NewReader("whole"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Put(ctx, "a.pdf", &failingReader{}); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.Put(cancelled, "a.pdf", strings.NewReader("new")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a cancelled context: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "whole" {
		t.Errorf("file holds %q after failed writes, want the old contents", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries left, want no temporary files", len(entries))
	}
}

func TestFolderRejectsUnsafeNames(t *testing.T) {
	f := NewFolder(t.TempDir())
	for _, name := range []string{"", ".", "..", "../x.pdf", "a/b.pdf", `a\b.pdf`, "C:x.pdf", ".hidden", "x.pdf.", "x.pdf ",
		"a\x00b", "tab\there", "what?.pdf", strings.Repeat("x", 256)} {
		if _, err := f.Put(context.Background(), name, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) accepted", name)
		}
		if _, err := f.Get(context.Background(), name); err == nil || errors.Is(err, invoicing.ErrNotFound) {
			t.Errorf("Get(%q) = %v, want a name error", name, err)
		}
	}
}

// Every PDF name the Service makes is accepted.
func TestFolderAcceptsPDFFileNames(t *testing.T) {
	inv := invoicing.Invoice{ID: "12", DocNumber: "PD/1042", CustomerName: `Müller & Söhne: "GmbH" ?`}
	name := invoicing.PDFFileName(inv)
	if _, err := NewFolder(t.TempDir()).Put(context.Background(), name, strings.NewReader("x")); err != nil {
		t.Errorf("Put(%q): %v", name, err)
	}
}

// An accepted name never leads outside the folder.
func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"Invoice 1042 Acme Ltd.pdf", "../etc/passwd", "a/b", `..\..\x`, "x.pdf", "CON"} {
		f.Add(s)
	}
	dir := filepath.Join("cache", "pdf")
	f.Fuzz(func(t *testing.T, name string) {
		if checkName(name) != nil {
			return
		}
		if got := filepath.Join(dir, name); filepath.Dir(got) != dir || filepath.Base(got) != name {
			t.Errorf("accepted %q, which is %q inside %q", name, got, dir)
		}
	})
}
