package org.instruct4j.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.instruct4j.core.io.FileRoles;

/**
 * Marks an option as a file or directory the command writes, with the files it writes beside it: it must be
 * writable where it is, and neither it nor those files may be the same file as an input ({@link FileOptions}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Writes {
    FileRoles.Kind value() default FileRoles.Kind.FILE;

    Beside[] beside() default {};
}
