# The pinned SARIF multitool, shared by install.sh and run.sh.
MULTITOOL_VERSION=5.7.0
PACKAGE=@microsoft/sarif-multitool-linux
