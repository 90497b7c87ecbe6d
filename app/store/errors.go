package store

import "fmt"

// Reason says why a database could not be opened.
type Reason int

const (
	// ReasonUnavailable: the file or its folder cannot be read, created or written (permissions, a full
	// disk, a missing drive).
	ReasonUnavailable Reason = iota + 1
	// ReasonCorrupt: the file is not a SQLite database or fails SQLite's integrity check.
	ReasonCorrupt
	// ReasonNewerSchema: a newer version of the app has upgraded the file.
	ReasonNewerSchema
	// ReasonLocked: another program holds a lock on the file.
	ReasonLocked
	// ReasonMigrationFailed: a schema update failed and was rolled back.
	ReasonMigrationFailed
)

// String returns the reason as a short phrase that completes "the database …".
func (r Reason) String() string {
	switch r {
	case ReasonUnavailable:
		return "cannot be read or written"
	case ReasonCorrupt:
		return "is damaged or is not a Dealbooks database"
	case ReasonNewerSchema:
		return "was written by a newer version of Dealbooks"
	case ReasonLocked:
		return "is in use by another program"
	case ReasonMigrationFailed:
		return "could not be updated to this version's format"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// OpenError is returned by Open for every database it cannot use. The file is left as it was.
type OpenError struct {
	Path   string
	Reason Reason
	Err    error // the underlying cause, for the log
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("store: database %s %s: %v", e.Path, e.Reason, e.Err)
}

func (e *OpenError) Unwrap() error { return e.Err }

// Advice tells the user, in plain English, what to do about the error. The UI shows it with Path.
func (e *OpenError) Advice() string {
	switch e.Reason {
	case ReasonCorrupt:
		return "Dealbooks has not changed this file. Quit Dealbooks, move the file somewhere safe " +
			"(support may be able to recover it) and start Dealbooks again: it will begin with an empty " +
			"database. Your invoices in QuickBooks and deals in Pipedrive are not affected; connect again and " +
			"refresh to see them."
	case ReasonNewerSchema:
		return "This file was last used by a newer version of Dealbooks. Install that version (or a later " +
			"one) and start it again. Dealbooks has not changed the file."
	case ReasonLocked:
		return "Close any other copy of Dealbooks and any program that may have this file open, such as a " +
			"backup or sync tool, then start Dealbooks again."
	case ReasonMigrationFailed:
		return "Dealbooks could not update this file to its new format and left it as it was before the " +
			"failed step. Send the log file to support, or go back to the version you used before."
	}
	return "Check that the folder exists, that you may change files in it and that the disk is not full, " +
		"then start Dealbooks again."
}
