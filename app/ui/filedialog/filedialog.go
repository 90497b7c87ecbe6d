// Package filedialog asks the operating system's own save dialog where to save a file.
//
// Which library, and why. Reps on Windows and macOS expect the save dialog every other app shows them: their
// recent folders, OneDrive or iCloud Drive in the sidebar, the file-name field focused, the overwrite question in
// their language. Three candidates were compared (December 2026):
//
//   - Fyne's dialog.NewFileSave draws its own file browser inside the window: no sidebar of the system, no recent
//     places, not the dialog reps know. It stays as the fallback.
//   - github.com/sqweek/dialog shows the real dialogs, but needs cgo with Cocoa on macOS and the GTK 3 headers on
//     Linux: without cgo its Linux build fails, which would break the headless CGO_ENABLED=0 test build.
//   - github.com/ncruces/zenity (chosen) is pure Go: on Windows it calls the common item dialog (IFileSaveDialog)
//     through syscalls, so it cross-builds like the rest of the release; on macOS it runs osascript, which shows
//     the real NSSavePanel; on Linux it runs qarma, zenity or matedialog when one is installed. Where none is,
//     SavePath says so and the window uses Fyne's dialog.
package filedialog

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/ncruces/zenity"
)

// ErrUnavailable wraps errors.ErrUnsupported: this computer has no save dialog of its own (Linux without
// qarma, zenity or matedialog).
var ErrUnavailable = fmt.Errorf("no save dialog of the system: %w", errors.ErrUnsupported)

// Filter is a kind of file the dialog offers, such as "PDF document" with "*.pdf".
type Filter struct {
	Name     string
	Patterns []string
}

// SavePath shows the system's save dialog with title, suggesting name, and returns the path the rep chose, or ""
// when the rep cancelled. It blocks until the rep answers or ctx ends, so it must not run on the UI goroutine.
// owner is the native handle of the window the dialog belongs to (a Windows HWND, an X11 window id), 0 when not
// known. The dialog asks before overwriting an existing file. It returns ErrUnavailable where there is no such
// dialog.
func SavePath(ctx context.Context, title, name string, filter Filter, owner uintptr) (string, error) {
	if !zenity.IsAvailable() {
		return "", ErrUnavailable
	}
	opts := []zenity.Option{
		zenity.Context(ctx),
		zenity.Title(title),
		zenity.Filename(name),
		zenity.ConfirmOverwrite(),
	}
	if len(filter.Patterns) > 0 {
		opts = append(opts, zenity.FileFilter{Name: filter.Name, Patterns: filter.Patterns, CaseFold: true})
	}
	if owner != 0 {
		switch runtime.GOOS {
		case "windows":
			opts = append(opts, zenity.Attach(owner))
		case "darwin":
			// macOS attaches by application, which would ask the rep to let osascript control Dealbooks.
		default:
			opts = append(opts, zenity.Attach(int(owner)))
		}
	}
	path, err := zenity.SelectFileSave(opts...)
	switch {
	case errors.Is(err, zenity.ErrCanceled):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("save dialog: %w", err)
	}
	return path, nil
}
