// PostgreSQL's client library, as the system installs it (libpq-dev on Debian, libpq on Homebrew).
#include <libpq-fe.h>
