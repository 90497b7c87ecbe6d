package platform

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestOpenAndShowCommandsPerSystem(t *testing.T) {
	tests := []struct {
		name     string
		goos     string
		path     string
		open     []string
		show     []string
		showLine string // the command line explorer receives, written out whole
	}{
		{
			name: "windows, spaces in the folder and the name",
			goos: "windows",
			path: `C:\Users\Ann de Vries\Documents\Invoice 1002 Acme Ltd.pdf`,
			// file URLs as RFC 8089 writes a drive letter: file:///C:/…, spaces as %20
			open:     []string{"rundll32.exe", "url.dll,FileProtocolHandler", "file:///C:/Users/Ann%20de%20Vries/Documents/Invoice%201002%20Acme%20Ltd.pdf"},
			show:     []string{"explorer.exe", `/select,"C:\Users\Ann de Vries\Documents\Invoice 1002 Acme Ltd.pdf"`},
			showLine: `explorer.exe /select,"C:\Users\Ann de Vries\Documents\Invoice 1002 Acme Ltd.pdf"`,
		},
		{
			name:     "windows, a network share, and a # and % in the name",
			goos:     "windows",
			path:     `\\files\sales\Q1 #2 100%.csv`,
			open:     []string{"rundll32.exe", "url.dll,FileProtocolHandler", "file://files/sales/Q1%20%232%20100%25.csv"},
			show:     []string{"explorer.exe", `/select,"\\files\sales\Q1 #2 100%.csv"`},
			showLine: `explorer.exe /select,"\\files\sales\Q1 #2 100%.csv"`,
		},
		{
			name: "macos",
			goos: "darwin",
			path: "/Users/ann/Documents/Invoice 1002 Acme Ltd.pdf",
			open: []string{"open", "/Users/ann/Documents/Invoice 1002 Acme Ltd.pdf"},
			show: []string{"open", "-R", "/Users/ann/Documents/Invoice 1002 Acme Ltd.pdf"},
		},
		{
			name: "linux",
			goos: "linux",
			path: "/home/ann/Documents/Dealbooks invoices.csv",
			open: []string{"xdg-open", "/home/ann/Documents/Dealbooks invoices.csv"},
			show: []string{"xdg-open", "/home/ann/Documents"},
		},
		{
			name: "freebsd, like linux",
			goos: "freebsd",
			path: "/home/ann/invoice.pdf",
			open: []string{"xdg-open", "/home/ann/invoice.pdf"},
			show: []string{"xdg-open", "/home/ann"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			open, err := openCommand(tt.goos, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(open.argv, tt.open) || open.windowsLine != "" || open.anyExit {
				t.Errorf("open = %q (line %q, any exit %v), want %q", open.argv, open.windowsLine, open.anyExit, tt.open)
			}
			show, err := showCommand(tt.goos, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(show.argv, tt.show) || show.windowsLine != tt.showLine {
				t.Errorf("show = %q (line %q), want %q (line %q)", show.argv, show.windowsLine, tt.show, tt.showLine)
			}
			// explorer exits with 1 after doing as asked; every other launcher's status means what it says.
			if show.anyExit != (tt.goos == "windows") {
				t.Errorf("show ignores the exit status: %v", show.anyExit)
			}
		})
	}
}

func TestOpenAndShowRefuseARelativePath(t *testing.T) {
	tests := []struct{ goos, path string }{
		{"linux", "-invoice.pdf"},
		{"linux", "Documents/invoice.pdf"},
		{"darwin", ""},
		{"windows", `Documents\invoice.pdf`},
		{"windows", `C:invoice.pdf`},
		{"windows", `/select,C:\x.pdf`},
	}
	for _, tt := range tests {
		if _, err := openCommand(tt.goos, tt.path); !errors.Is(err, ErrNotAbsolute) {
			t.Errorf("open on %s %q: err = %v, want ErrNotAbsolute", tt.goos, tt.path, err)
		}
		if _, err := showCommand(tt.goos, tt.path); !errors.Is(err, ErrNotAbsolute) {
			t.Errorf("show on %s %q: err = %v, want ErrNotAbsolute", tt.goos, tt.path, err)
		}
	}
}

func TestLaunchAfterTheWindowClosedStartsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A program that cannot exist: were it started, the error would name it, not the context.
	err := launch(ctx, command{argv: []string{"/nonexistent/dealbooks-launcher", "/tmp/x.pdf"}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
