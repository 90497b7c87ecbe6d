package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// readLog returns the log file's lines, each decoded from JSON.
func readLog(t *testing.T, dir string) (raw string, lines []map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, logFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		lines = append(lines, m)
	}
	return string(data), lines
}

func TestLogNeverWritesATokenToTheFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	l, err := OpenLog(dir, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	token := &oauth2.Token{AccessToken: secret + "A", RefreshToken: secret + "R", TokenType: "Bearer"}

	logger := l.Logger.With("realm_id", "9130", slog.String("api_token", secret))
	logger.Info("token refreshed", "access_token", token.AccessToken, "result", token)
	logger.Debug("request", "url", "https://oauth.example/callback?code="+secret+"&state=s1",
		"header", "Authorization: Bearer "+secret)
	logger.Error("refresh failed", "err", fmt.Errorf("POST /tokens: body refresh_token=%s: %w", secret, errors.New("invalid_grant")))
	logger.Warn("raw body "+`{"access_token":"`+secret+`"}`, slog.Group("auth", slog.String("client_secret", secret)),
		slog.Group("credentials", slog.String("user", secret)))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	raw, lines := readLog(t, dir)
	if strings.Contains(raw, secret) {
		t.Fatalf("a secret reached the log file:\n%s", raw)
	}
	if len(lines) != 4 {
		t.Fatalf("got %d log lines, want 4:\n%s", len(lines), raw)
	}
	// What is not secret is still there to read.
	first := lines[0]
	if first["msg"] != "token refreshed" || first["realm_id"] != "9130" || first["api_token"] != Mask {
		t.Errorf("first line = %v", first)
	}
	if tok, ok := first["result"].(map[string]any); !ok || tok["access_token"] != Mask || tok["refresh_token"] != Mask {
		t.Errorf("structured token logged as %v, want an object with masked fields", first["result"])
	}
	if url := lines[1]["url"]; url != "https://oauth.example/callback?code="+Mask+"&state=s1" {
		t.Errorf("url logged as %v", url)
	}
	if e, _ := lines[2]["err"].(string); !strings.Contains(e, "refresh_token="+Mask) || !strings.HasSuffix(e, "invalid_grant") {
		t.Errorf("error logged as %v", e)
	}
}

func TestMakeDefaultRoutesPackageLogThroughRedaction(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenLog(dir, slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	previous := slog.Default()
	t.Cleanup(func() {
		slog.SetDefault(previous)
		log.SetOutput(os.Stderr)
		log.SetFlags(log.LstdFlags)
		slog.SetLogLoggerLevel(slog.LevelInfo)
	})

	l.MakeDefault()
	log.Println("Fyne error: ", "request failed")   // what fyne.LogError writes
	log.Println("  Cause:", "x-api-token: "+secret) // and its cause line
	slog.InfoContext(context.Background(), "via slog", "password", secret)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	raw, lines := readLog(t, dir)
	if strings.Contains(raw, secret) {
		t.Fatalf("a secret reached the log file:\n%s", raw)
	}
	if len(lines) != 3 || lines[0]["level"] != "WARN" || !strings.Contains(lines[0]["msg"].(string), "Fyne error") {
		t.Errorf("package log lines not in the file at WARN:\n%s", raw)
	}
}

// BenchmarkLogLine measures one typical API log line through the redacting handler.
func BenchmarkLogLine(b *testing.B) {
	logger := slog.New(NewHandler(io.Discard, slog.LevelInfo))
	for b.Loop() {
		logger.Info("qbo request", "method", "POST", "url", "https://quickbooks.api.intuit.com/v3/company/9130/invoice?requestid=7f1c&minorversion=75",
			"status", 200, "intuit_tid", "1-67a1-abc", "elapsed", 120*time.Millisecond)
	}
}
