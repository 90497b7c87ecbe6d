//go:build !windows

package platform

import "os/exec"

// setWindowsLine does nothing outside Windows, where every program gets its arguments one by one.
func setWindowsLine(*exec.Cmd, string) {}
