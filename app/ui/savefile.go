package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Saving a file (an invoice's PDF, the invoice list as CSV) asks the system's own save dialog where to put it
// (app/ui/filedialog explains the choice of library), falls back to Fyne's dialog where the system has none,
// writes the file off the UI goroutine, then shows where it went with Open and Show in folder.

// SaveQuestion is what a save dialog asks the rep.
type SaveQuestion struct {
	Title  string     // the dialog's title
	Name   string     // the file name suggested
	Filter FileFilter // the kind of file saved
	// Owner is the native handle of the window asking (a Windows HWND, an X11 window id), so the dialog
	// belongs to it; 0 when not known.
	Owner uintptr
}

// FileFilter is a kind of file, as a save dialog offers it: a name and patterns, such as "PDF document" and
// "*.pdf".
type FileFilter struct {
	Name     string
	Patterns []string
}

// AskSavePathFunc asks the system's save dialog where to save a file. It blocks until the rep answers, so the
// window calls it off the UI goroutine, and ctx ends it when the window closes. It returns the path chosen, ""
// when the rep cancelled, or an error wrapping errors.ErrUnsupported where the system has no such dialog; on
// that error (or any other) the window asks with Fyne's dialog instead.
type AskSavePathFunc func(ctx context.Context, q SaveQuestion) (path string, err error)

// FileActionFunc does something with a file the rep saved: opens it in its app, or shows it in its folder. It
// may wait for a program to start, so the window calls it off the UI goroutine.
type FileActionFunc func(ctx context.Context, path string) error

func pdfFilter() FileFilter {
	return FileFilter{Name: lang.X("file.filter.pdf", "PDF document"), Patterns: []string{"*.pdf"}}
}

func csvFilter() FileFilter {
	return FileFilter{Name: lang.X("file.filter.csv", "CSV spreadsheet"), Patterns: []string{"*.csv"}}
}

// fileToSave is one file the rep asked to save.
type fileToSave struct {
	what   string // what is being done, for the log: "save PDF"
	title  string // the save dialog's title
	name   string // the file name suggested
	filter FileFilter
	write  func(io.Writer) error
	saved  string // the sentence that says it is saved
}

// saveFile asks where to save f and writes it there. Cancel in the dialog does nothing.
func (m *MainWindow) saveFile(f fileToSave) {
	ask := m.deps.AskSavePath
	if ask == nil {
		m.saveWithFyne(f)
		return
	}
	if m.asking {
		return // the system's dialog is open already (it holds the window only on Windows)
	}
	m.asking = true
	q := SaveQuestion{Title: f.title, Name: f.name, Filter: f.filter, Owner: nativeHandle(m.window)}
	call(m.bg, dialogCall, func(ctx context.Context) (string, error) { return ask(ctx, q) }, func(path string, err error) {
		m.asking = false
		switch {
		case err != nil:
			if !errors.Is(err, errors.ErrUnsupported) {
				m.deps.Log.Warn("the system's save dialog failed; asking with Fyne's", "err", err)
			}
			m.saveWithFyne(f)
		case path != "":
			m.bg.do(localCall, func(context.Context) error { return writeFileAt(path, f.write) }, m.afterSave(f, path))
		}
	})
}

// saveWithFyne asks with Fyne's save dialog, drawn inside the window, where the system has none.
func (m *MainWindow) saveWithFyne(f fileToSave) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			m.saveFailed(f, "", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := ""
		if w.URI().Scheme() == "file" {
			path = w.URI().Path()
		}
		m.bg.do(localCall, func(context.Context) error {
			err := f.write(w)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return err
		}, m.afterSave(f, path))
	}, m.window)
	d.SetTitleText(f.title)
	d.SetFileName(f.name)
	var extensions []string
	for _, p := range f.filter.Patterns {
		extensions = append(extensions, strings.TrimPrefix(p, "*"))
	}
	if len(extensions) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(extensions))
	}
	d.Show()
}

// afterSave says how writing f at path went.
func (m *MainWindow) afterSave(f fileToSave, path string) func(error) {
	return func(err error) {
		if err != nil {
			m.saveFailed(f, path, err)
			return
		}
		m.showSaved(f.saved, path)
	}
}

// saveFailed tells the rep that f could not be written at path ("" when not known), and to choose another folder.
func (m *MainWindow) saveFailed(f fileToSave, path string, err error) {
	m.deps.Log.Error(f.what, "path", path, "err", err)
	text := lang.X("file.save_failed", "{{.Name}} could not be saved there. Choose another folder and try again.",
		map[string]any{"Name": f.name})
	if path != "" {
		text = lang.X("file.save_failed.folder", "{{.Name}} could not be saved in {{.Folder}}. Choose another folder and try again.",
			map[string]any{"Name": filepath.Base(path), "Folder": filepath.Dir(path)})
	}
	m.showNotDone(text)
}

// writeFileAt writes a file at path through a temporary file beside it, renamed over path once complete: a
// write that fails halfway leaves the folder as it was, including a file the rep chose to replace.
func writeFileAt(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp's 0600 would hide the file from others the rep shares the folder with
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// nativeHandle is the window's handle on Windows and X11, for the system's dialog to belong to; 0 elsewhere.
func nativeHandle(w fyne.Window) (handle uintptr) {
	native, ok := w.(driver.NativeWindow)
	if !ok {
		return 0
	}
	native.RunNative(func(ctx any) {
		switch c := ctx.(type) {
		case driver.WindowsWindowContext:
			handle = c.HWND
		case driver.X11WindowContext:
			handle = c.WindowHandle
		}
	})
	return handle
}

// savedDialog says a file is saved and where, with buttons to open it and to show it in its folder.
type savedDialog struct {
	m     *MainWindow
	path  string
	d     *dialog.CustomDialog
	where *widget.Label
	open  *widget.Button
	show  *widget.Button
	close *widget.Button
}

// showSaved says message, and that the file is at path. Without a path (a place Fyne's dialog reached that is
// not a file on this computer) or without the actions in Deps, the buttons that need them are left out.
func (m *MainWindow) showSaved(message, path string) {
	s := &savedDialog{m: m, path: path}
	text := widget.NewLabel(message)
	text.Wrapping = fyne.TextWrapWord
	s.where = &widget.Label{Text: path, Wrapping: fyne.TextWrapBreak, Selectable: true}
	s.open = widget.NewButtonWithIcon(lang.X("file.open", "Open"), theme.FileIcon(), s.onOpen)
	s.open.Importance = widget.HighImportance
	s.show = widget.NewButtonWithIcon(lang.X("file.show", "Show in folder"), theme.FolderOpenIcon(), s.onShow)
	s.close = widget.NewButton(lang.X("action.close", "Close"), s.onClose)
	var buttons []fyne.CanvasObject
	if path != "" && m.deps.OpenFile != nil {
		buttons = append(buttons, s.open)
	}
	if path != "" && m.deps.ShowInFolder != nil {
		buttons = append(buttons, s.show)
	}
	buttons = append(buttons, s.close)
	content := container.NewVBox(text)
	if path != "" {
		content.Add(s.where)
	}
	s.d = dialog.NewCustomWithoutButtons(lang.X("file.saved.title", "Saved"), content, m.window)
	s.d.SetButtons(buttons)
	s.d.Resize(fyne.NewSize(520, s.d.MinSize().Height))
	m.showDialog(s.d, buttons[0].(*widget.Button)) // the keyboard starts on Open (Space opens the file), or on Close
}

func (s *savedDialog) onOpen() {
	s.d.Hide()
	s.m.onFile("open saved file", s.m.deps.OpenFile, s.path,
		lang.X("file.open_failed", "Dealbooks could not open the file. Find it at {{.Path}}.", map[string]any{"Path": s.path}))
}

func (s *savedDialog) onShow() {
	s.d.Hide()
	s.m.onFile("show saved file in its folder", s.m.deps.ShowInFolder, s.path,
		lang.X("file.show_failed", "Dealbooks could not open the folder. Find the file at {{.Path}}.", map[string]any{"Path": s.path}))
}

func (s *savedDialog) onClose() { s.d.Hide() }

// onFile runs act on path off the UI goroutine, saying failed (and logging what) when it fails.
func (m *MainWindow) onFile(what string, act FileActionFunc, path, failed string) {
	m.bg.do(localCall, func(ctx context.Context) error { return act(ctx, path) }, func(err error) {
		if err != nil {
			m.deps.Log.Error(what, "path", path, "err", err)
			m.showNotDone(failed)
		}
	})
}
