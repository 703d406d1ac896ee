// The commonest passwords of at least 8 characters (the length rule already refuses shorter
// ones): international leak lists plus the Chinese favourites (digit runs, lucky numbers,
// 5201314 "I love you for ever", pinyin). Compared case-insensitively.
const LIST = `
12345678 123456789 1234567890 0123456789 87654321 987654321 9876543210 11111111 111111111
00000000 000000000 22222222 33333333 44444444 55555555 66666666 77777777 88888888 99999999
666666666 888888888 999999999 12341234 12121212 11223344 11112222 12344321 123123123 123321123
147258369 147852369 123654789 159357456 741852963 963852741 13579246 24681357 135792468
5201314520 52013145 520131400 1314520520 13145201 5201314a 5201314abc a5201314 woaini1314
woaini520 woaini123 woaini521 iloveyou1314 1314woaini 1qaz2wsx 1q2w3e4r 1q2w3e4r5t 1qazxsw2
qwertyui qwertyuiop qwerty123 qwerty12 asdfghjk asdfghjkl zxcvbnm1 zxcvbnm123 asdf1234 qwer1234
zxcv1234 1234qwer 1234asdf 1234abcd abcd1234 abc12345 abc123456 a1234567 a12345678 a123456789
aa123456 aa12345678 qq123456 qq12345678 zz123456 w1234567 wang1234 li123456 zhang123 liu12345
woaiwojia woainima wodemima mima1234 mimamima 1234mima zhongguo zhongguo123 beijing1 beijing123
shanghai shanghai1 guangzhou shenzhen dongdong tingting xiaoming xiaoxiao wangwang huanhuan
lingling meimei123 baobao123 aini1314 caonima1 password password1 password12 password123 passw0rd
p@ssw0rd p@ssword pass1234 password! iloveyou iloveyou1 iloveyou2 sunshine sunshine1 princess
princess1 football football1 baseball basketball superman batman123 starwars trustno1 whatever
welcome1 welcome123 letmein1 letmein123 monkey123 dragon123 master123 shadow123 michael1 jennifer
jordan23 charlie1 computer internet samsung1 chocolate butterfly liverpool chelsea1 arsenal1
qazwsxedc qazwsx123 1qaz2wsx3edc zaq12wsx !qaz2wsx zaq1xsw2 asdasdasd qweqweqwe zxczxczxc
aaaaaaaa aaaaaaaaa abcdefgh abcdefg1 abcdefghi 1a2b3c4d a1b2c3d4 11111111a 123456aa 123456ab
123456abc 12345678a 12345678q 1234567a 123456qwe 123qweasd 123qweasdzxc qweasdzxc 1qaz@wsx
admin123 admin1234 administrator root1234 test1234 testtest user1234 guest123 changeme
changeme1 default1 secret123 skillrelay skillrelay1 skillrelay123 skillrelay-demo demo1234
88888888a 66666666a 168168168 16881688 18881888 68686868 86868686 51515151 52525252 58585858
20082008 20102010 20202020 20212021 20222022 20232023 20242024 20252025 20262026 19901990
19881988 19891989 19911991 19921992 19931993 19941994 19951995 19961996 19971997 19981998
19991999 20002000 20012001 19871987 19861986 19851985 01234567 76543210 10203040 11235813
31415926 314159265 3.1415926 14789632 123456789a 123456789q qwe123456 qwe12345 asd123456
zxc123456 aaa123456 abc123abc 7758521a 77585210 7758258a 12qwaszx 1234567q 1234567890a
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter((p) => p.length >= 8));

/** True for a password on the list, or one made of a single repeated character. */
export function isCommonPassword(password: string) {
  const p = password.toLowerCase();
  return COMMON_PASSWORDS.has(p) || /^(.)\1+$/.test(p);
}
