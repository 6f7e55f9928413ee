// The system's SQLite 3 header, for the CareStore target. SQLite is part of every Apple platform and of
// standard Linux images (the libsqlite3-dev package); nothing is vendored.
#include <sqlite3.h>
