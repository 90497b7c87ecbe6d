// Package platform finds the app's folders, writes its log and crash files, and keeps one instance running.
package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

// HomeEnv names the environment variable that moves all of the app's folders under one base folder:
// the data folder becomes $DEALBOOKS_HOME/data and the cache folder $DEALBOOKS_HOME/cache. Tests and
// portable installs (a USB stick) use it. It must be an absolute path.
const HomeEnv = "DEALBOOKS_HOME"

// Paths are the folders one profile of the app uses. None of them is created here.
type Paths struct {
	// Data holds the database and the logs: local to this machine, never roaming, never cleaned up by
	// the system.
	Data string
	// Cache holds files that can be fetched again, such as invoice PDFs.
	Cache string
	// Logs is beside the database, inside Data.
	Logs string
	// Database is the SQLite database file, in Data.
	Database string
}

// InstanceSocket returns the path of the single-instance socket: in the data folder, or, when that
// path would be too long for a unix socket, under a name unique to that data folder in a folder private
// to the user (see socketDir). Acquire refuses a socket folder that others could write to.
func (p Paths) InstanceSocket() string {
	return socketPath(p.Data, socketDir(os.Getenv, os.TempDir(), os.Getuid()))
}

// CurrentPaths returns the folders for profile on this computer; "" is the default profile.
func CurrentPaths(profile string) (Paths, error) {
	home, _ := os.UserHomeDir() // checked by ResolvePaths where it is needed
	return ResolvePaths(runtime.GOOS, os.Getenv, home, profile)
}

var profileName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// ResolvePaths stays hand-written: the standard library has no data folder (os.UserConfigDir is the roaming
// %AppData% on Windows, and Linux has no XDG_DATA_HOME call), and the table below is too small for a library.
//
// ResolvePaths returns the folders for profile on an operating system goos, reading the environment
// through getenv, for a user whose home folder is home. "" is the default profile; any other profile
// (the demo workspace, say) gets folders of its own under <data>/profiles/<name> and
// <cache>/profiles/<name>, so it never touches the default profile's data.
//
//	Windows  data  %LocalAppData%\Dealbooks\data          cache  %LocalAppData%\Dealbooks\cache
//	macOS    data  ~/Library/Application Support/Dealbooks cache  ~/Library/Caches/Dealbooks
//	Linux    data  $XDG_DATA_HOME/dealbooks                cache  $XDG_CACHE_HOME/dealbooks
//	         (~/.local/share/dealbooks)                           (~/.cache/dealbooks)
//
// On Windows the cache sits beside the data folder rather than being its parent, so clearing the
// cache can never delete the database. $DEALBOOKS_HOME, when set, overrides all of these.
func ResolvePaths(goos string, getenv func(string) string, home, profile string) (Paths, error) {
	if profile != "" && !profileName.MatchString(profile) {
		return Paths{}, fmt.Errorf("profile name %q: use up to 32 lowercase letters, digits, '-' or '_'", profile)
	}
	sep := "/"
	if goos == "windows" {
		sep = `\`
	}
	join := func(base string, elems ...string) string {
		return strings.TrimRight(base, `/\`) + sep + strings.Join(elems, sep)
	}

	var data, cache string
	if base := getenv(HomeEnv); base != "" {
		if !isAbs(goos, base) {
			return Paths{}, fmt.Errorf("%s=%q is not an absolute path", HomeEnv, base)
		}
		data, cache = join(base, "data"), join(base, "cache")
	} else {
		var err error
		if data, cache, err = osFolders(goos, getenv, home, join); err != nil {
			return Paths{}, err
		}
	}
	if profile != "" {
		data, cache = join(data, "profiles", profile), join(cache, "profiles", profile)
	}
	return Paths{Data: data, Cache: cache, Logs: join(data, "logs"), Database: join(data, "dealbooks.db")}, nil
}

func osFolders(goos string, getenv func(string) string, home string, join func(string, ...string) string) (data, cache string, err error) {
	switch goos {
	case "windows":
		local := getenv("LocalAppData")
		if !isAbs(goos, local) {
			return "", "", errors.New("%LocalAppData% is not set to an absolute path")
		}
		return join(local, "Dealbooks", "data"), join(local, "Dealbooks", "cache"), nil
	case "darwin", "ios":
		if !isAbs(goos, home) {
			return "", "", errors.New("the home folder is unknown")
		}
		return join(home, "Library", "Application Support", "Dealbooks"), join(home, "Library", "Caches", "Dealbooks"), nil
	}
	// Linux and the other unix systems follow the XDG base directory rules: a relative path in an
	// XDG variable is ignored.
	xdg := func(name string, fallback ...string) (string, error) {
		if dir := getenv(name); isAbs(goos, dir) {
			return join(dir, "dealbooks"), nil
		}
		if !isAbs(goos, home) {
			return "", fmt.Errorf("$%s is not set and the home folder is unknown", name)
		}
		return join(home, append(fallback, "dealbooks")...), nil
	}
	if data, err = xdg("XDG_DATA_HOME", ".local", "share"); err != nil {
		return "", "", err
	}
	if cache, err = xdg("XDG_CACHE_HOME", ".cache"); err != nil {
		return "", "", err
	}
	return data, cache, nil
}

// isAbs reports whether p is an absolute path on goos, whatever system this code runs on.
func isAbs(goos, p string) bool {
	if goos != "windows" {
		return strings.HasPrefix(p, "/")
	}
	if strings.HasPrefix(p, `\\`) { // \\server\share
		return true
	}
	if len(p) < 3 || p[1] != ':' || (p[2] != '\\' && p[2] != '/') {
		return false
	}
	drive := p[0]
	return 'A' <= drive && drive <= 'Z' || 'a' <= drive && drive <= 'z'
}

// maxSocketPath keeps socket paths under every system's sun_path limit (104 bytes on macOS, 108 on
// Linux and Windows, each including a terminating zero).
const maxSocketPath = 100

// socketPath is "<dir>/instance.sock" when that is short enough, otherwise a name in privateDir derived
// from dir. dir already differs per user and per profile, so the derived name does too.
func socketPath(dir, privateDir string) string {
	path := filepath.Join(dir, "instance.sock")
	if len(path) <= maxSocketPath {
		return path
	}
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(privateDir, "dealbooks-"+hex.EncodeToString(sum[:8])+".sock")
}

// socketDir is where a socket goes when the data folder's path is too long: never a shared folder such
// as /tmp itself, where another user could take the name first. $XDG_RUNTIME_DIR (Linux: a folder only
// its user can enter, removed at logout) when it is set and short enough, otherwise "dealbooks-<uid>" in
// the temporary folder, which Acquire creates private (0700) and checks is this user's. On Windows
// (uid -1) the temporary folder is already the user's own.
func socketDir(getenv func(string) string, tempDir string, uid int) string {
	if run := getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(run) && len(run) <= maxSocketPath/2 {
		return run
	}
	if uid < 0 {
		return tempDir
	}
	return filepath.Join(tempDir, "dealbooks-"+strconv.Itoa(uid))
}
