package platform

import (
	"os/exec"
	"syscall"
)

// setWindowsLine makes line the command line cmd starts with, as written, when it is not "".
func setWindowsLine(cmd *exec.Cmd, line string) {
	if line != "" {
		cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: line}
	}
}
