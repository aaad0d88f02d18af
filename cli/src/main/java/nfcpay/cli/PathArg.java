package nfcpay.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's hook for every path option: an empty value is refused. {@code Path.of("")} is the current
 * directory, so {@code --data-dir ""} (an unset shell variable, usually) would quietly put a journal, or
 * bench's results, wherever the command happened to run.
 */
final class PathArg implements ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("an empty path (an unset variable?): name a file or directory");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("not a path: " + e.getReason());
        }
    }
}
