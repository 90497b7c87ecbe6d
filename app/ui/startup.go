package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ProblemKind says why Dealbooks cannot use its database.
type ProblemKind int

const (
	ProblemUnavailable     ProblemKind = iota // the file or its folder cannot be read or written
	ProblemDamaged                            // not a database, or it fails the integrity check
	ProblemNewer                              // a newer Dealbooks has upgraded it
	ProblemInUse                              // another program holds a lock on it
	ProblemMigrationFailed                    // this version could not update it, and rolled back
)

// StartupProblem is a reason Dealbooks cannot start normally.
type StartupProblem struct {
	File string // the file concerned, shown so it can be found and sent to support
	Kind ProblemKind
}

// explain returns the plain sentences that say what is wrong and what to do.
func (p StartupProblem) explain() (reason, advice string) {
	switch p.Kind {
	case ProblemDamaged:
		return lang.X("startup.damaged", "The database is damaged or is not a Dealbooks database."),
			lang.X("startup.damaged.advice", "Dealbooks has not changed it. Quit, move the file somewhere safe (support may be able to recover it) and start again with an empty database; your invoices in QuickBooks and deals in Pipedrive are not affected.")
	case ProblemNewer:
		return lang.X("startup.newer", "The database was last used by a newer version of Dealbooks."),
			lang.X("startup.newer.advice", "Install that version or a later one and start it again. Dealbooks has not changed the file.")
	case ProblemInUse:
		return lang.X("startup.in_use", "The database is in use by another program."),
			lang.X("startup.in_use.advice", "Close any other copy of Dealbooks and any backup or sync tool that may have the file open, then start Dealbooks again.")
	case ProblemMigrationFailed:
		return lang.X("startup.migration", "Dealbooks could not update the database to this version's format."),
			lang.X("startup.migration.advice", "The file is as it was before. Send the log files to support, or go back to the version you used before.")
	}
	return lang.X("startup.unavailable", "The database cannot be read or written."),
		lang.X("startup.unavailable.advice", "Check that the folder exists, that you may change files in it and that the disk is not full, then start Dealbooks again.")
}

// NewProblemWindow is the window shown instead of the main window when Dealbooks cannot open its data. It
// offers nothing that would write to the file.
func NewProblemWindow(a fyne.App, p StartupProblem) fyne.Window {
	w := a.NewWindow("Dealbooks")
	heading := widget.NewLabelWithStyle(lang.X("startup.title", "Dealbooks cannot open its data"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	reasonText, adviceText := p.explain()
	reason := widget.NewLabel(reasonText)
	reason.Wrapping = fyne.TextWrapWord
	advice := widget.NewLabel(adviceText)
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
	w.Resize(fyne.NewSize(600, 320))
	w.SetMaster()
	return w
}
