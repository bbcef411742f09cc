[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // key files are checked for Unix mode 0600
