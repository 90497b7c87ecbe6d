package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// StartupProblem is a reason Dealbooks cannot start normally, put so that a rep knows what to do next.
type StartupProblem struct {
	File   string // the file concerned, shown so it can be found and sent to support
	Reason string // one plain sentence: what is wrong
	Advice string // one plain sentence: what to do
}

// NewProblemWindow is the window shown instead of the main window when Dealbooks cannot open its data. It
// offers nothing that would write to the file.
func NewProblemWindow(a fyne.App, p StartupProblem) fyne.Window {
	w := a.NewWindow("Dealbooks")
	heading := widget.NewLabelWithStyle(lang.X("startup.title", "Dealbooks cannot open its data"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	reason := widget.NewLabel(p.Reason)
	reason.Wrapping = fyne.TextWrapWord
	advice := widget.NewLabel(p.Advice)
	advice.Wrapping = fyne.TextWrapWord
	file := widget.NewLabel(p.File)
	file.Selectable = true
	quit := widget.NewButton(lang.X("action.quit", "Quit"), a.Quit)
	w.SetContent(container.NewPadded(container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.ErrorIcon()), heading),
		reason,
		widget.NewForm(widget.NewFormItem(lang.X("startup.file", "File"), file)),
		advice,
		container.NewHBox(quit),
	)))
	w.Resize(fyne.NewSize(560, 280))
	w.SetMaster()
	return w
}
