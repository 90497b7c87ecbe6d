package platform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"path"
	"runtime"
	"strings"
)

// OpenFile opens the file at path (absolute) in the app the operating system uses for its kind: a PDF viewer
// for an invoice, a spreadsheet for a CSV export.
func OpenFile(ctx context.Context, path string) error {
	c, err := openCommand(runtime.GOOS, path)
	if err != nil {
		return err
	}
	return launch(ctx, c)
}

// ShowInFolder opens the folder holding the file at path (absolute) in the file manager: Explorer and Finder
// select the file there; on Linux the folder opens in whatever xdg-open chooses.
func ShowInFolder(ctx context.Context, path string) error {
	c, err := showCommand(runtime.GOOS, path)
	if err != nil {
		return err
	}
	return launch(ctx, c)
}

// command is one program to start and how.
type command struct {
	argv []string
	// windowsLine, on Windows, is the whole command line as the program must receive it, for a program that
	// parses it itself (explorer); "" lets Go quote argv.
	windowsLine string
	// anyExit: the program's exit status says nothing (explorer returns 1 even when it did as asked).
	anyExit bool
}

// ErrNotAbsolute is returned for a path that is not absolute: a relative one would be resolved in whatever
// folder the launcher starts in, and one starting with "-" would read as an option.
var ErrNotAbsolute = errors.New("not an absolute path")

// openCommand is the command that opens path with its default app on goos:
//   - Windows: rundll32 url.dll,FileProtocolHandler with the file's file:/// URL, as Fyne's OpenURL does. A URL
//     has no spaces, so no quoting can go wrong.
//   - macOS: open PATH (LaunchServices' default app).
//   - Linux and the BSDs: xdg-open PATH (the desktop's default app).
func openCommand(goos, p string) (command, error) {
	if !absolute(goos, p) {
		return command{}, fmt.Errorf("open %q: %w", p, ErrNotAbsolute)
	}
	switch goos {
	case "windows":
		return command{argv: []string{"rundll32.exe", "url.dll,FileProtocolHandler", windowsFileURL(p)}}, nil
	case "darwin":
		return command{argv: []string{"open", p}}, nil
	default:
		return command{argv: []string{"xdg-open", p}}, nil
	}
}

// showCommand is the command that shows the file at path in its folder on goos:
//   - Windows: explorer /select,"PATH", which opens the folder with the file selected. Explorer reads its own
//     command line and wants the quotes around the path only, never around /select, (which is what Go's
//     quoting of one argument would give), so the line is written out whole. Explorer exits with 1 even when
//     it did as asked.
//   - macOS: open -R PATH, which reveals the file in Finder.
//   - Linux and the BSDs: xdg-open DIR, the folder in the desktop's file manager (xdg-open cannot select).
func showCommand(goos, p string) (command, error) {
	if !absolute(goos, p) {
		return command{}, fmt.Errorf("show %q in its folder: %w", p, ErrNotAbsolute)
	}
	switch goos {
	case "windows":
		arg := `/select,"` + p + `"` // a Windows file name cannot contain '"'
		return command{argv: []string{"explorer.exe", arg}, windowsLine: "explorer.exe " + arg, anyExit: true}, nil
	case "darwin":
		return command{argv: []string{"open", "-R", p}}, nil
	default:
		return command{argv: []string{"xdg-open", path.Dir(p)}}, nil
	}
}

// absolute reports whether p is an absolute path on goos, whichever system this runs on: C:\… or \\server\share\…
// on Windows, /… elsewhere.
func absolute(goos, p string) bool {
	if goos != "windows" {
		return strings.HasPrefix(p, "/")
	}
	if strings.HasPrefix(p, `\\`) {
		return len(p) > 2
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z')
}

// windowsFileURL is the file URL of an absolute Windows path: C:\Users\Ann\x y.pdf becomes
// file:///C:/Users/Ann/x%20y.pdf and \\server\share\x.pdf becomes file://server/share/x.pdf.
func windowsFileURL(p string) string {
	u := url.URL{Scheme: "file"}
	slashed := strings.ReplaceAll(p, `\`, "/")
	if host, rest, ok := strings.Cut(strings.TrimPrefix(slashed, "//"), "/"); strings.HasPrefix(slashed, "//") && ok {
		u.Host, u.Path = host, "/"+rest
	} else {
		u.Path = "/" + slashed
	}
	return u.String()
}

// launch starts c and waits, until ctx ends, for the launcher to hand the file over. Launchers exit at once; one
// still running when ctx ends (xdg-open on a desktop without its own opener runs the app itself) is left
// running, since ending it would close what it opened, and is waited for in the background.
func launch(ctx context.Context, c command) error {
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	cmd.Cancel = nil // ctx stops a launch not yet started, never a program that runs
	setWindowsLine(cmd, c.windowsLine)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, left: 1 << 10}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", c.argv[0], err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil && !c.anyExit {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				return fmt.Errorf("%s: %w: %s", c.argv[0], err, msg)
			}
			return fmt.Errorf("%s: %w", c.argv[0], err)
		}
		return nil
	case <-ctx.Done():
		return nil
	}
}

// limitedWriter keeps the first left bytes written to it and drops the rest, so a chatty launcher cannot
// fill memory.
type limitedWriter struct {
	w    *bytes.Buffer
	left int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	n := min(len(p), l.left)
	l.w.Write(p[:n])
	l.left -= n
	return len(p), nil
}
