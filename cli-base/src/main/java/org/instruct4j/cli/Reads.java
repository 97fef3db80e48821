package org.instruct4j.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.instruct4j.core.io.FileRoles;

/**
 * Marks an option (a {@code Path}, a local path {@code String}, or a list of them) as a file or directory the
 * command reads: it must exist and be of the given kind, and no output may be the same file ({@link FileOptions}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Reads {
    FileRoles.Kind value() default FileRoles.Kind.FILE;
}
