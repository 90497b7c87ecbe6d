package platform

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Log file rotation: the current file plus this many older ones, each up to this size.
const (
	logFileName   = "dealbooks.log"
	logMaxSizeMB  = 5
	logMaxBackups = 5
)

// NewHandler returns a slog handler that writes JSON lines to w with secrets masked: attributes whose
// key looks secret (IsSecretKey), and bearer tokens and secret parameters inside messages, strings,
// errors and structured values (Redact).
func NewHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr})
}

// Log is the app's log: dealbooks.log in the logs folder, rotated at 5 MB with five old files kept.
// Only one process may write it, which the single-instance lock ensures.
type Log struct {
	Logger *slog.Logger
	file   *lumberjack.Logger
}

// OpenLog creates dir if needed and starts logging to a rotating file in it.
func OpenLog(dir string, level slog.Leveler) (*Log, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create log folder: %w", err)
	}
	file := &lumberjack.Logger{
		Filename:   filepath.Join(dir, logFileName),
		MaxSize:    logMaxSizeMB,
		MaxBackups: logMaxBackups,
	}
	return &Log{Logger: slog.New(NewHandler(file, level)), file: file}, nil
}

// MakeDefault makes this log the process-wide default for log/slog and for the standard log package,
// so fyne.LogError and any library that uses package log write to the same file, redacted. Lines from
// package log are logged at Warn level: in practice they are Fyne's error reports.
func (l *Log) MakeDefault() {
	slog.SetDefault(l.Logger)
	slog.SetLogLoggerLevel(slog.LevelWarn)
}

// Close closes the log file. Log after Close reopens it, so call it last.
func (l *Log) Close() error {
	return l.file.Close()
}
