package io.tandem.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MentionParserTest {

    private static final String BOT = "ai-claude-acme";

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            '@ai-claude-acme please fix this'                      | true
            'hey @ai-claude-acme, can you look?'                   | true
            'thanks @AI-Claude-Acme.'                              | true
            '(@ai-claude-acme)'                                    | true
            '@ai-claude-acme: go'                                  | true
            'first line\\n\\n@ai-claude-acme second paragraph'       | true
            '@ai-claude-acme-x do it'                              | false
            '@ai-claude-acme_x do it'                              | false
            '@ai-claude-acmex do it'                               | false
            '@xai-claude-acme do it'                               | false
            'mail me at bob@ai-claude-acme'                        | false
            'write to ai-claude-acme@example.com'                  | false
            '@ai-claude-acme/subgroup is a group path'             | false
            'see `@ai-claude-acme` in the docs'                    | false
            'see ``code with ` and @ai-claude-acme`` here'         | false
            'unclosed `span @ai-claude-acme'                       | true
            '```\\n@ai-claude-acme\\n```'                           | false
            '```yaml\\n@ai-claude-acme\\n```\\n'                    | false
            '~~~\\n@ai-claude-acme\\n~~~\\nafter'                   | false
            '```\\nblock\\n```\\n@ai-claude-acme after the block'   | true
            '```\\nunclosed @ai-claude-acme'                        | false
            '    @ai-claude-acme indented code'                   | false
            'para\\n\\n    @ai-claude-acme indented code'            | false
            'para line\\n    @ai-claude-acme continues para'        | true
            '> @ai-claude-acme said something'                     | false
            '  > quoted @ai-claude-acme'                          | false
            '> quoted\\n\\n@ai-claude-acme reply'                    | true
            'no mention at all'                                    | false
            """)
    void findsWholeUsernameMentionsOutsideCodeAndQuotes(String body, boolean mentioned) {
        assertEquals(mentioned, MentionParser.mentions(body.replace("\\n", "\n"), BOT), body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            '@alice and @Bob.Smith, cc @carol_1'  | alice,bob.smith,carol_1
            '@alice @alice'                        | alice
            """)
    void listsEveryMentionInLowerCase(String body, String expected) {
        assertEquals(Set.of(expected.split(",")), MentionParser.mentions(body));
    }
}
