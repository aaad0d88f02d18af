package nfcpay.terminal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Why a file operation failed, in words. The JDK's file-system exceptions carry the path as their message and
 * the cause in their type, so "cannot open X: " + getMessage() named the path twice and never said why.
 */
public final class IoErrors {

    private IoErrors() {}

    /** {@link #describe(IOException, Path)} when the message names no path of its own. */
    public static String describe(IOException e) {
        return describe(e, null);
    }

    /**
     * "no such file or directory", "permission denied", "Not a directory (at /a/b)": the cause, and the file it
     * happened at only when that is not {@code named}, the path the message already gives.
     */
    public static String describe(IOException e, Path named) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            why = "not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "a file is in the way";
        } else if (e instanceof DirectoryNotEmptyException) {
            why = "directory not empty";
        } else if (e instanceof FileSystemException fs) {
            why = fs.getReason() != null ? fs.getReason() : "file system error";
        } else {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String at = ((FileSystemException) e).getFile();
        return at == null || named != null && Path.of(at).equals(named) ? why : why + " (at " + at + ")";
    }
}
