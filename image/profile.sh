# Interactive shells in a monasca-base container say what they run in.
# Read by login shells (/etc/profile.d), by interactive sh through $ENV and
# by interactive bash through /etc/bash.bashrc; printed once per shell.
case $- in
*i*)
    if [ -z "${MONASCA_VERSIONS_SHOWN:-}" ] && [ -r /VERSIONS ]; then
        cat /VERSIONS
        MONASCA_VERSIONS_SHOWN=1
    fi
    alias ll='ls -alF'
    ;;
esac
